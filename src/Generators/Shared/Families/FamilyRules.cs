using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ModelDsl.Families;

/// <summary>What kind of mistake a <see cref="FamilyProblem"/> is (each maps to one diagnostic ID).</summary>
internal enum FamilyProblemKind
{
    /// <summary>A size below 1.</summary>
    SizeNotPositive,
    /// <summary>More blocks than ModelDsl lays out.</summary>
    TooManyLayers,
    /// <summary>The heads do not divide the width, or the head width is odd under rotary embeddings.</summary>
    HeadsDoNotDivideWidth,
    /// <summary>The key/value heads do not divide the query heads.</summary>
    KvHeadsDoNotDivideHeads,
    /// <summary>An epsilon, rotary base or rotary factor that is not a finite number above 0.</summary>
    NotPositiveFinite,
    /// <summary>Rotary scaling arguments that do not fit together.</summary>
    RopeScalingInconsistent,
    /// <summary>Sizes that together need more than the 1 TB limit.</summary>
    TooLarge,
}

/// <summary>One thing wrong with a <see cref="FamilyShape"/>.</summary>
/// <param name="Kind">The kind of mistake.</param>
/// <param name="Argument">The attribute argument it is about (<see cref="FamilyArguments"/>), or "" for the sizes together.</param>
/// <param name="Message">What is wrong and what would be right, in the names the caller chose.</param>
internal sealed record FamilyProblem(FamilyProblemKind Kind, string Argument, string Message);

/// <summary>
/// The bounds of a family's arguments, written once: the analyzers report them at compile time and the runtime's
/// configs throw them, with the same verdict for the same values.
/// </summary>
internal static class FamilyRules
{
    /// <summary>The most blocks ModelDsl lays out.</summary>
    public const int MaxLayers = 1024;

    /// <summary>
    /// The most vocabulary entries (2^24; released tokenizers have up to about 2^18). The parameter bound alone would let a
    /// width-1 model with 2^31 entries through, whose embedding is still gigabytes.
    /// </summary>
    public const int MaxVocabulary = 1 << 24;

    /// <summary>The most parameters a model may have: 1 TB of fp32 weights. Anything larger is a typo, not a model.</summary>
    public const double MaxParameters = 2.5e11;

    /// <summary>
    /// Every problem of <paramref name="shape"/>, in argument order; <paramref name="name"/> turns an argument name
    /// (<see cref="FamilyArguments"/>) into the name the caller's user knows (the argument itself, or a config field).
    /// </summary>
    public static List<FamilyProblem> Check(FamilyShape shape, Func<string, string> name)
    {
        var problems = new List<FamilyProblem>();
        void Add(FamilyProblemKind kind, string argument, string message) => problems.Add(new FamilyProblem(kind, argument, message));
        var rotary = shape.Traits.IsRotary;

        if (shape.Layers > MaxLayers)
            Add(FamilyProblemKind.TooManyLayers, FamilyArguments.Layers,
                $"{name(FamilyArguments.Layers)} is {Int(shape.Layers)}; ModelDsl lays out at most {MaxLayers} blocks.");
        Positive(FamilyArguments.Layers, shape.Layers);
        Positive(FamilyArguments.Dim, shape.Dim);
        Positive(FamilyArguments.Heads, shape.Heads);
        // Key/value heads equal to the heads (the default) are reported through Heads alone.
        if (shape.KvHeads != shape.Heads) Positive(FamilyArguments.KvHeads, shape.KvHeads);
        if (shape.HeadDim < 0)
            Add(FamilyProblemKind.SizeNotPositive, FamilyArguments.HeadDim,
                $"{name(FamilyArguments.HeadDim)} is {Int(shape.HeadDim)}; it must be at least 1, or 0 for {name(FamilyArguments.Dim)} / {name(FamilyArguments.Heads)}.");
        if (rotary) Positive(FamilyArguments.Ffn, shape.Ffn);
        Positive(FamilyArguments.Vocab, shape.Vocab);
        if (shape.Vocab > MaxVocabulary)
            Add(FamilyProblemKind.TooLarge, FamilyArguments.Vocab,
                $"{name(FamilyArguments.Vocab)} is {Int(shape.Vocab)}; at most {Int(MaxVocabulary)} vocabulary entries are accepted. Check the value for a typo.");
        Positive(FamilyArguments.Context, shape.Context);

        if (shape.HeadDim == 0 && shape.Heads >= 1 && shape.Dim >= 1 && shape.Dim % shape.Heads != 0)
            Add(FamilyProblemKind.HeadsDoNotDivideWidth, FamilyArguments.Heads,
                $"{name(FamilyArguments.Heads)} = {Int(shape.Heads)} must divide {name(FamilyArguments.Dim)} = {Int(shape.Dim)}; try {Int(NearestDivisor(shape.Dim, shape.Heads))}.");
        if (shape.KvHeads >= 1 && shape.Heads >= 1 && shape.Heads % shape.KvHeads != 0)
            Add(FamilyProblemKind.KvHeadsDoNotDivideHeads, FamilyArguments.KvHeads,
                $"{name(FamilyArguments.KvHeads)} = {Int(shape.KvHeads)} must divide {name(FamilyArguments.Heads)} = {Int(shape.Heads)}; try {Int(NearestDivisor(shape.Heads, shape.KvHeads))}.");
        if (rotary)
        {
            if (shape.HeadDim > 0 && shape.HeadDim % 2 != 0)
                Add(FamilyProblemKind.HeadsDoNotDivideWidth, FamilyArguments.HeadDim,
                    $"{name(FamilyArguments.HeadDim)} = {Int(shape.HeadDim)} must be even for rotary embeddings.");
            else if (shape.HeadDim == 0 && shape.Heads >= 1 && shape.Dim >= 1 && shape.Dim % shape.Heads == 0 && shape.Dim / shape.Heads % 2 != 0)
                Add(FamilyProblemKind.HeadsDoNotDivideWidth, FamilyArguments.Heads,
                    $"{name(FamilyArguments.Dim)} / {name(FamilyArguments.Heads)} = {Int(shape.Dim / shape.Heads)} must be even for rotary embeddings.");
        }

        PositiveFinite(FamilyArguments.NormEps, shape.NormEps, "a small positive number such as 1e-5");
        if (rotary)
        {
            PositiveFinite(FamilyArguments.RopeTheta, shape.RopeTheta, "e.g. 10000");
            if (shape.RopeScaling is { } scaling) CheckScaling(scaling);
            if (shape.SlidingWindow < 0)
                Add(FamilyProblemKind.SizeNotPositive, FamilyArguments.SlidingWindow,
                    $"{name(FamilyArguments.SlidingWindow)} is {Int(shape.SlidingWindow)}; it must be at least 1, or 0 for full attention.");
            if (shape.FirstSlidingLayer < 0)
                Add(FamilyProblemKind.SizeNotPositive, FamilyArguments.MaxWindowLayers,
                    $"{name(FamilyArguments.MaxWindowLayers)} is {Int(shape.FirstSlidingLayer)}; it must be at least 0.");
        }

        // The total is only meaningful for sizes that are each valid.
        if (problems.Count == 0 && EstimateParameters(shape) > MaxParameters)
        {
            var estimate = EstimateParameters(shape);
            var sizes = new List<string> { FamilyArguments.Layers, FamilyArguments.Dim };
            if (rotary) sizes.Add(FamilyArguments.Ffn);
            sizes.Add(FamilyArguments.Vocab);
            if (!rotary) sizes.Add(FamilyArguments.Context);
            var listed = string.Join(", ", sizes.Select(s => $"{name(s)} = {Int(ValueOf(shape, s))}"));
            Add(FamilyProblemKind.TooLarge, "",
                $"The sizes ({listed}) would need {estimate.ToString("E3", CultureInfo.InvariantCulture)} parameters "
                + $"({(estimate * 4 / 1e12).ToString("F1", CultureInfo.InvariantCulture)} TB in fp32), over the 1 TB limit; check these sizes for a typo.");
        }
        return problems;

        void Positive(string argument, int value)
        {
            if (value < 1)
                Add(FamilyProblemKind.SizeNotPositive, argument, $"{name(argument)} is {Int(value)}; it must be at least 1.");
        }

        void PositiveFinite(string argument, double value, string example)
        {
            if (!(value > 0))
                Add(FamilyProblemKind.NotPositiveFinite, argument, $"{name(argument)} {Number(value)} must be greater than 0.");
            else if (double.IsInfinity(value))
                Add(FamilyProblemKind.NotPositiveFinite, argument, $"{name(argument)} {Number(value)} must be a finite number greater than 0 ({example}).");
        }

        void CheckScaling(RopeScalingShape scaling)
        {
            PositiveFinite(FamilyArguments.RopeFactor, scaling.Factor, "e.g. 8");
            if (scaling.Kind != RopeKind.Llama3) return;
            PositiveFinite(FamilyArguments.LowFreqFactor, scaling.LowFreqFactor, "Llama 3 uses 1");
            PositiveFinite(FamilyArguments.HighFreqFactor, scaling.HighFreqFactor, "Llama 3 uses 4");
            if (scaling.LowFreqFactor > 0 && scaling.HighFreqFactor > 0 && !(scaling.HighFreqFactor > scaling.LowFreqFactor))
                Add(FamilyProblemKind.RopeScalingInconsistent, FamilyArguments.HighFreqFactor,
                    $"{name(FamilyArguments.HighFreqFactor)} = {Number(scaling.HighFreqFactor)} must be greater than {name(FamilyArguments.LowFreqFactor)} = {Number(scaling.LowFreqFactor)}: the band between them is interpolated (Llama 3 uses 1 and 4).");
            Positive(FamilyArguments.OriginalContext, scaling.OriginalContext);
        }
    }

    /// <summary>The parameter count in doubles (no overflow for any sizes), for the size limit.</summary>
    public static double EstimateParameters(FamilyShape shape)
    {
        double total = 0;
        foreach (var parameter in FamilyModules.Parameters(shape, estimateOnly: true))
            total += parameter.Count;
        return total;
    }

    static long ValueOf(FamilyShape shape, string argument) => argument switch
    {
        FamilyArguments.Layers => shape.Layers,
        FamilyArguments.Dim => shape.Dim,
        FamilyArguments.Ffn => shape.Ffn,
        FamilyArguments.Vocab => shape.Vocab,
        FamilyArguments.Context => shape.Context,
        _ => 0,
    };

    /// <summary>
    /// The divisor of <paramref name="value"/> closest to <paramref name="near"/> (the smaller on a tie), from the divisor
    /// pairs up to √value: a linear search took ~10^9 steps for Dim = 2^30, Heads = 2^31 - 2.
    /// </summary>
    public static int NearestDivisor(int value, int near)
    {
        int best = 1;
        long bestDistance = long.MaxValue;
        for (int i = 1; (long)i * i <= value; i++)
        {
            if (value % i != 0) continue;
            foreach (int divisor in new[] { i, value / i })
            {
                long distance = Math.Abs((long)divisor - near);
                if (distance < bestDistance || (distance == bestDistance && divisor < best))
                    (best, bestDistance) = (divisor, distance);
            }
        }
        return best;
    }

    static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A number as messages write it ("R" format; infinities spelled out rather than "∞").</summary>
    public static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
