using System;

using ModelDsl.Generators.Specs;

namespace ModelDsl.Generators.Common;

/// <summary>
/// The result of one pipeline step: its value, or the internal error that stopped it. The generator must never throw
/// (an exception becomes CS8785 and every generated file is lost at once), so each step runs guarded; a failure flows
/// to the declaration's own output, where it is reported once as MDSL039 (<c>GeneratorFailed</c>) instead of vanishing.
/// Steps that gather many declarations (the command line's entries) leave a failed one out rather than report it again.
/// </summary>
internal sealed record Guarded<T>(T? Value, GeneratorFailure? Failure) where T : class
{
    /// <summary>Diagnostics the generator reports itself for the declaration this step parsed (see <c>GeneratorReports</c>).</summary>
    public EquatableArray<Diagnostics.ReportedDiagnostic> Reports { get; init; } = EquatableArray<Diagnostics.ReportedDiagnostic>.Empty;

    /// <summary>Nothing to generate, and nothing wrong.</summary>
    public static Guarded<T> Nothing { get; } = new(null, null);

    /// <summary>Runs <paramref name="work"/>, catching any exception but cancellation.</summary>
    public static Guarded<T> Run(Func<string> subject, Func<T?> work)
    {
        try
        {
            return new(work(), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new(null, GeneratorFailure.From(subject, e));
        }
    }

    /// <summary>The next step over this value; a failure or nothing passes through untouched.</summary>
    public Guarded<TNext> Then<TNext>(Func<T, string> subject, Func<T, TNext?> work) where TNext : class
    {
        if (Failure is not null) return new(null, Failure);
        if (Value is not { } value) return Guarded<TNext>.Nothing;
        return Guarded<TNext>.Run(() => subject(value), () => work(value));
    }
}

/// <summary>What the generator was doing when an internal error stopped it, as equatable data.</summary>
/// <param name="Subject">The declaration being processed (its type name), when known.</param>
/// <param name="Error">The exception's type and message.</param>
internal sealed record GeneratorFailure(string Subject, string Error)
{
    public static GeneratorFailure From(Func<string> subject, Exception exception)
    {
        string name;
        try { name = subject(); }
        catch (Exception e) when (e is not OperationCanceledException) { name = "a declaration"; }
        return new GeneratorFailure(name, $"{exception.GetType().Name}: {exception.Message}");
    }
}
