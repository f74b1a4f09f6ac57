using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Text;

namespace ModelDsl.Generators.Setups;

/// <summary>
/// The members <c>[Dpo]</c> and <c>[RewardHead]</c> add to a setup: the declared <c>DpoOptions</c>, a <c>DpoObjective(data)</c>
/// factory and a <c>CreateRewardModel()</c> factory — the short path to the runtime's alignment objectives. An invalid setup's
/// stub has the same members, throwing, so code that uses them still compiles.
/// </summary>
internal static class PreferenceEmitter
{
    const string Alignment = "global::ModelDsl.Training.Alignment.";
    const string Options = Alignment + "DpoOptions";
    const string DpoSignature = $"public {Alignment}DpoObjective DpoObjective(global::ModelDsl.Data.TokenizedPreferences data, {Alignment}DpoReference? reference = null)";
    const string RewardSignature = $"public {Alignment}RewardModel CreateRewardModel()";

    public static void WriteMembers(SourceWriter writer, SetupSpec spec)
    {
        if (spec.Dpo is { Loss: { } loss } dpo)
        {
            writer.Line();
            writer.Line($"/// <summary>The DPO hyper-parameters [Dpo] declares: β = {Literals.Double(dpo.Beta)}, label smoothing {Literals.Double(dpo.LabelSmoothing)}, {(loss == "Ipo" ? "IPO" : "sigmoid")} loss.</summary>");
            writer.Line($"public static {Options} DpoOptions {{ get; }} = new {Options}");
            writer.Line("{");
            writer.Line($"    Beta = {Literals.Double(dpo.Beta)},");
            writer.Line($"    LabelSmoothing = {Literals.Double(dpo.LabelSmoothing)},");
            writer.Line($"    Loss = {Alignment}PreferenceLoss.{loss},");
            writer.Line("};");
            writer.Line();
            WriteDpoSummary(writer);
            writer.Line($"{DpoSignature} =>");
            writer.Line($"    new {Alignment}DpoObjective(this, data, DpoOptions, reference);");
        }
        if (spec.RewardHead)
        {
            writer.Line();
            WriteRewardSummary(writer);
            writer.Line($"{RewardSignature} => new {Alignment}RewardModel(this);");
        }
    }

    public static void WriteStubMembers(SourceWriter writer, SetupSpec spec, InvalidReason reason)
    {
        if (spec.Dpo is not null)
        {
            writer.Line();
            writer.Line($"/// <summary>Throws: {reason.Id}.</summary>");
            writer.Line($"public static {Options} DpoOptions => {reason.ThrowAs(Options)};");
            writer.Line();
            writer.Line($"/// <summary>Throws: {reason.Id}.</summary>");
            writer.Line($"/// <param name=\"data\">The preference pairs.</param>");
            writer.Line($"/// <param name=\"reference\">Where the reference log-probabilities come from.</param>");
            writer.Line($"{DpoSignature} => {reason.ThrowAs(Alignment + "DpoObjective")};");
        }
        if (spec.RewardHead)
        {
            writer.Line();
            writer.Line($"/// <summary>Throws: {reason.Id}.</summary>");
            writer.Line($"{RewardSignature} => {reason.ThrowAs(Alignment + "RewardModel")};");
        }
    }

    static void WriteDpoSummary(SourceWriter writer)
    {
        writer.Line("/// <summary>");
        writer.Line("/// DPO on <paramref name=\"data\"/> with this setup as the policy and <see cref=\"DpoOptions\"/>. Without a");
        writer.Line("/// <paramref name=\"reference\"/>, a setup with adapters is its own reference (adapters disabled), any other the");
        writer.Line("/// policy's log-probabilities computed now.");
        writer.Line("/// </summary>");
        writer.Line("/// <param name=\"data\">The preference pairs, tokenized.</param>");
        writer.Line("/// <param name=\"reference\">Where the reference log-probabilities come from, when not the default.</param>");
    }

    static void WriteRewardSummary(SourceWriter writer)
    {
        writer.Line("/// <summary>");
        writer.Line("/// A new reward model over this setup: a fresh <c>score</c> head on the model's final hidden states, trained with");
        writer.Line("/// whatever this setup trains. Train it with <c>RewardObjective</c>; save it with <c>RewardModelFiles</c>.");
        writer.Line("/// </summary>");
    }
}
