using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ModelDsl.Models;

/// <summary>Checks shared by the family configurations, with messages that name the fields.</summary>
internal static class ConfigLimits
{
    /// <summary>Largest model accepted: 1 TB of fp32 weights. Anything larger is a typo, not a model.</summary>
    public const double MaxParameterBytes = 1e12;

    /// <summary>Most layers accepted. Each layer is a set of modules built one by one, so a count near 2^31 would take hours and
    /// gigabytes of bookkeeping even at width 1, where the parameter limit alone does not stop it. The deepest released models have a few hundred.</summary>
    public const int MaxLayers = 4096;

    /// <summary>Most vocabulary entries accepted (2^24; released tokenizers have up to about 2^18).</summary>
    public const int MaxVocabulary = 1 << 24;

    /// <summary>
    /// Throws unless the layer count and the vocabulary are within <see cref="MaxLayers"/> and <see cref="MaxVocabulary"/>,
    /// naming the field. Called where a configuration is validated, before any module is built.
    /// </summary>
    public static void RequireBounded((string Field, long Value) layers, (string Field, long Value) vocabulary)
    {
        if (layers.Value > MaxLayers)
            throw new ModelConfigException(string.Create(CultureInfo.InvariantCulture,
                $"Config field {layers.Field} is {layers.Value}; at most {MaxLayers} layers are accepted. Check the value for a typo."));
        if (vocabulary.Value > MaxVocabulary)
            throw new ModelConfigException(string.Create(CultureInfo.InvariantCulture,
                $"Config field {vocabulary.Field} is {vocabulary.Value}; at most {MaxVocabulary} vocabulary entries are accepted. Check the value for a typo."));
    }

    /// <summary>Throws unless every size is at least 1.</summary>
    public static void RequirePositive(params (string Field, long Value)[] sizes)
    {
        foreach (var (field, value) in sizes)
            if (value < 1)
                throw new ModelConfigException($"Config field {field} is {value}; it must be at least 1.");
    }

    /// <summary>Throws unless the parameter count (computed in doubles so it cannot overflow) stays under the limit.</summary>
    public static void RequireAllocatable(double parameters, params (string Field, long Value)[] sizes)
    {
        if (parameters * 4 <= MaxParameterBytes) return;
        var fields = string.Join(", ", sizes.Select(s => $"{s.Field} = {s.Value.ToString(CultureInfo.InvariantCulture)}"));
        throw new ModelConfigException(
            $"The configuration ({fields}) would need {parameters:E3} parameters ({parameters * 4 / 1e12:F1} TB in fp32), "
            + "over the 1 TB limit; check these sizes for a typo.");
    }

    /// <summary>Lists <c>field: mine vs theirs</c> for every field whose values differ.</summary>
    public static List<string> Differences(IEnumerable<(string Field, object Mine, object Theirs)> fields) =>
        fields.Where(f => !Equals(f.Mine, f.Theirs))
              .Select(f => $"{f.Field}: the model has {Format(f.Mine)}, the file has {Format(f.Theirs)}")
              .ToList();

    static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
    };
}
