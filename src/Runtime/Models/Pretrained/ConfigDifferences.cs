using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelDsl.Families;

namespace ModelDsl.Models;

/// <summary>The settings in which two configurations of a family differ, named by their <c>config.json</c> fields.</summary>
internal static class ConfigDifferences
{
    /// <summary>
    /// <c>field: the model has …, the file has …</c> for every setting of <paramref name="mine"/> and
    /// <paramref name="theirs"/> that changes the math (a head width written out equals the one it is derived as;
    /// <c>max_window_layers</c> matters only with a window).
    /// </summary>
    public static List<string> Between(FamilyShape mine, FamilyShape theirs)
    {
        string Field(string argument) => FamilyArguments.FieldOf(mine.Family, argument);
        var fields = new List<(string Field, object Mine, object Theirs)>
        {
            ("model_type", mine.Traits.ModelType, theirs.Traits.ModelType),
            (Field(FamilyArguments.Layers), mine.Layers, theirs.Layers),
            (Field(FamilyArguments.Dim), mine.Dim, theirs.Dim),
            (Field(FamilyArguments.Heads), mine.Heads, theirs.Heads),
        };
        if (mine.Traits.IsRotary)
        {
            fields.Add((Field(FamilyArguments.KvHeads), mine.KvHeads, theirs.KvHeads));
            fields.Add((Field(FamilyArguments.HeadDim), mine.HeadWidth, theirs.HeadWidth));
            fields.Add((Field(FamilyArguments.Ffn), mine.Ffn, theirs.Ffn));
        }
        fields.Add((Field(FamilyArguments.Vocab), mine.Vocab, theirs.Vocab));
        fields.Add((Field(FamilyArguments.Context), mine.Context, theirs.Context));
        if (mine.Traits.IsRotary)
        {
            fields.Add((Field(FamilyArguments.RopeTheta), mine.RopeTheta, theirs.RopeTheta));
            fields.Add((Field(FamilyArguments.TieEmbeddings), mine.TieEmbeddings, theirs.TieEmbeddings));
        }
        fields.Add((Field(FamilyArguments.NormEps), mine.NormEps, theirs.NormEps));
        if (mine.Traits.IsRotary)
        {
            fields.Add(("rope_scaling", Describe(mine.RopeScaling), Describe(theirs.RopeScaling)));
            fields.Add(("sliding_window", Window(mine), Window(theirs)));
            fields.Add(("hidden_act", mine.Activation.ToString(), theirs.Activation.ToString()));
        }
        return fields.Where(f => !Equals(f.Mine, f.Theirs))
            .Select(f => $"{f.Field}: the model has {Format(f.Mine)}, the file has {Format(f.Theirs)}")
            .ToList();
    }

    static string Describe(RopeScalingShape? scaling) => scaling switch
    {
        null => "none",
        { Kind: RopeKind.Linear } => $"linear × {Format(scaling.Factor)}",
        _ => $"llama3 × {Format(scaling.Factor)} (low {Format(scaling.LowFreqFactor)}, high {Format(scaling.HighFreqFactor)}, original {scaling.OriginalContext})",
    };

    // Which layers see how many keys: "none", "4096 in every layer", "4096 from layer 21".
    static string Window(FamilyShape shape)
    {
        int first = Enumerable.Range(0, shape.Layers).FirstOrDefault(shape.UsesSlidingWindow, -1);
        if (first < 0) return "none";
        return first == 0 ? $"{shape.SlidingWindow} in every layer" : $"{shape.SlidingWindow} from layer {first}";
    }

    static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
    };
}
