using System.Linq;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Text;
using ModelDsl.Shared.Peft;
using ModelDsl.Generators.Common;

namespace ModelDsl.Generators.Setups;

/// <summary>
/// Writes the generated half of a setup: the base class over the model, the constants, and a constructor that
/// injects or selects every trainable part by straight-line code (no reflection, no name search at run time).
/// </summary>
internal static class SetupEmitter
{
    internal const string Setups = "global::ModelDsl.Peft.";

    /// <summary>The generated half of a setup, or its stub when the declaration (or its model) is invalid.</summary>
    public static GeneratedFile? Render(SetupSpec spec)
    {
        var (findings, plan) = SetupPlanner.Plan(spec);
        if (plan is not null) return Emit(plan);
        var reason = spec.ModelInvalid ?? InvalidReason.FirstError(findings);
        return reason is null ? null : SetupStubEmitter.Emit(spec, reason);
    }

    public static GeneratedFile Emit(SetupPlan plan)
    {
        var writer = TypeScaffold.NewFile();
        var type = plan.Spec.Type;
        var model = plan.Model;
        using (TypeScaffold.OpenContainers(writer, type))
        {
            WriteSummary(writer, plan);
            writer.Line(KnownNames.GeneratedCodeAttribute);
            using (writer.Block($"partial class {type.Name} : {Setups}PeftSetup<{model.TypeName}>"))
            {
                writer.Line($"/// <summary>Parameters that train: {Literals.Grouped(plan.TrainableParameters)}.</summary>");
                writer.Line($"public const long TrainableParameterCount = {Literals.Long(plan.TrainableParameters)};");
                writer.Line();
                writer.Line($"/// <summary>Parameters of the model with this setup's additions: {Literals.Grouped(plan.TotalParameters)}.</summary>");
                writer.Line($"public const long TotalParameterCount = {Literals.Long(plan.TotalParameters)};");
                writer.Line();
                WriteConstructor(writer, plan);
                QuantizeEmitter.WriteMember(writer, plan.Spec);
                PreferenceEmitter.WriteMembers(writer, plan.Spec);
            }
        }
        return new GeneratedFile(type.HintName, writer.ToString());
    }

    static void WriteSummary(SourceWriter writer, SetupPlan plan)
    {
        long quantized = plan.QuantizedLayers.Sum(l => l.InFeatures * l.OutFeatures);
        double quantizedBytes = plan.Spec.Quantize is { } quantize ? QuantizeRules.StoredBytes(quantize, plan.QuantizedLayers) : 0;
        writer.Line("/// <summary>");
        writer.Line($"/// {Describe(plan)}, fine-tuning <see cref=\"{plan.Model.TypeName.Replace("global::", "")}\"/>.");
        writer.Line($"/// {PeftCounts.Summary(plan.TrainableParameters, plan.TotalParameters)}.");
        if (QuantizeEmitter.SummaryLine(plan, quantizedBytes, quantized) is { } line) writer.Line($"/// {line}");
        writer.Line("/// </summary>");
        SetupMemoryDoc.Write(writer, plan);
    }

    static string Describe(SetupPlan plan) => plan switch
    {
        { FullFineTune: true } => "Full fine-tuning",
        { BitFit: true } => "BitFit (biases only)",
        { Lora: { } lora } => $"LoRA (rank {lora.Rank}, alpha {Literals.Double(lora.Alpha)}{(lora.UseRsLora ? ", rsLoRA" : "")}) on {plan.LoraTargets.Count} layers",
        { Prompt: { } prompt } => $"Prompt tuning ({prompt.Tokens} virtual tokens, {prompt.Init} initialisation)",
        { Adapter: { } adapter } => $"{adapter.Placement} bottleneck adapters (width {adapter.Bottleneck}, {plan.AdapterCount} adapters)",
        _ => $"Selective fine-tuning ({plan.SelectedParameters.Count} tensors)",
    };

    /// <summary>A setup whose soft prompt starts from text takes a tokenizer to encode it.</summary>
    internal static bool NeedsTokenizer(SetupSpec spec) => spec.Methods.OfType<SoftPromptSpec>().Any(p => p.Init == "Text");

    internal const string TokenizerParameter = ", global::Microsoft.ML.Tokenizers.Tokenizer tokenizer";

    static void WriteConstructor(SourceWriter writer, SetupPlan plan)
    {
        var type = plan.Spec.Type;
        bool needsTokenizer = NeedsTokenizer(plan.Spec);
        writer.Line("/// <summary>Wraps <paramref name=\"model\"/>, freezes it and adds the trainable parts.</summary>");
        writer.Line("/// <param name=\"model\">The base model; this setup changes it in place (its layers gain adapters).</param>");
        if (needsTokenizer)
            writer.Line("/// <param name=\"tokenizer\">Turns the soft prompt's InitText into the token ids whose embeddings start it.</param>");
        var parameters = $"{plan.Model.TypeName} model" + (needsTokenizer ? TokenizerParameter : "");
        writer.Line($"public {type.Name}({parameters})");
        using (writer.Block($"    : base(model, {Config(plan)})"))
        {
            QuantizeEmitter.WriteCalls(writer, plan);
            if (plan.Lora is not null)
                foreach (var target in plan.LoraTargets)
                    writer.Line($"AttachLora(model.{target.AccessPath}, {Literals.String(target.Name)});");
            foreach (var parameter in plan.SelectedParameters)
                writer.Line($"Train(model.{parameter.AccessPath}, {Literals.String(parameter.Name)});");
            if (plan.Adapter is { } adapter)
                WriteAdapters(writer, plan.Model, adapter);
        }
    }

    static void WriteAdapters(SourceWriter writer, ModelDescription model, AdapterSpec adapter)
    {
        var (name, path) = model.Family == ModelDsl.Families.FamilyKind.Gpt2 ? ("transformer.h", "transformer.h") : ("model.layers", "model.layers");
        for (int i = 0; i < model.BlockCount; i++)
        {
            if (adapter.Placement != "Pfeiffer")
                writer.Line($"AttachBottleneck(\"{name}.{i}.attention_adapter\", adapter => model.{path}[{i}].AttentionAdapter = adapter);");
            writer.Line($"AttachBottleneck(\"{name}.{i}.mlp_adapter\", adapter => model.{path}[{i}].MlpAdapter = adapter);");
        }
    }

    static string Config(SetupPlan plan) => plan switch
    {
        { FullFineTune: true } => $"new {Setups}FullFineTuneConfig()",
        { Lora: { } lora } => $"new {Setups}LoraConfig(new global::ModelDsl.Peft.LoraSettings({Literals.Int(lora.Rank)}, {Literals.Double(lora.Alpha)}, " +
                             $"{Literals.Double(lora.Dropout)}, {Literals.Bool(lora.UseRsLora)}), new string[] {{ {string.Join(", ", (lora.Targets ?? SetupPlan.DefaultTargets(plan.Model.Family)).Select(Literals.String))} }})",
        { Prompt: { } prompt } => PromptConfig(plan, prompt),
        { Adapter: { } adapter } => $"new {Setups}BottleneckConfig({Literals.Int(adapter.Bottleneck)}, global::ModelDsl.Peft.BottleneckPlacement.{adapter.Placement})",
        { BitFit: true } => $"new {Setups}SelectiveConfig(\"bitfit\")",
        _ => $"new {Setups}SelectiveConfig(\"selective\")",
    };

    static string PromptConfig(SetupPlan plan, SoftPromptSpec prompt)
    {
        var text = prompt.InitText is null ? "null" : Literals.String(prompt.InitText);
        var ids = prompt.Init == "Text"
            ? $"InitTextTokenIds = global::System.Linq.Enumerable.ToArray(global::System.Linq.Enumerable.Select(tokenizer.EncodeToIds({text}), id => (long)id)), "
            : "";
        return $"new {Setups}PromptTuningConfig({Literals.Int(prompt.Tokens)}, {Setups}PromptTuningInit.{prompt.Init}, {text}) " +
               $"{{ {ids}BaseAttentionHeads = {Literals.Int(plan.Model.Heads)}, BaseLayers = {Literals.Int(plan.Model.BlockCount)} }}";
    }
}
