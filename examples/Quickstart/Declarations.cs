using System.Collections.Generic;
using ModelDsl;
using ModelDsl.Clients;
using ModelDsl.Peft;

namespace Quickstart;

// The model: a GPT-2 small enough to pretrain on two CPU cores in about a minute.
[Gpt2(Layers = 3, Dim = 64, Heads = 4, Vocab = Vocab, Context = Context)]
public partial class WorldGpt
{
    public const int Vocab = 128, Context = 96;
}

// One setup per fine-tuning method, each over a fresh copy of the pretrained model.
[FineTune<WorldGpt>, FullFineTune] public partial class FullSetup;
[FineTune<WorldGpt>, BitFit] public partial class BitFitSetup;
[FineTune<WorldGpt>, Selective(Train = ["ln_f", "h.2.*"])] public partial class LastBlockSetup;
[FineTune<WorldGpt>, LoRA(8, Alpha = 16, Targets = ["c_attn"])] public partial class LoraSetup;
[FineTune<WorldGpt>, Adapter(Bottleneck = 16, Placement = AdapterPlacement.Houlsby)] public partial class AdapterSetup;
[FineTune<WorldGpt>, SoftPrompt(8)] public partial class PromptSetup;

// A typed client over the pretrained model, for prompt engineering: the examples come with each call.
[InferenceClient<WorldGpt>]
public partial class StoryClient
{
    [Prompt(World.TaskTemplate, MaxNewTokens = 1)]
    public partial string Feel(string story, IEnumerable<PromptExample> examples);

    /// <summary>How many of <paramref name="examples"/> fit before the story (the oldest are dropped first).</summary>
    public int ExamplesThatFit(string story, IReadOnlyList<PromptExample> examples) =>
        FitToContext(World.TaskTemplate, new Dictionary<string, object?> { ["story"] = story }, examples, 1).ExamplesUsed;
}

// The same prompt over each fine-tuned setup (a client is typed to what it wraps).
[InferenceClient<FullSetup>]
public partial class FullClient
{
    [Prompt(World.TaskTemplate, MaxNewTokens = 1)] public partial string Feel(string story);

    // A record answer: decoding is constrained to StoryFacts' JSON schema, so the answer always deserializes.
    [Prompt(World.FactsTemplate, MaxNewTokens = 32)] public partial StoryFacts Facts(string story);
}
[InferenceClient<BitFitSetup>] public partial class BitFitClient { [Prompt(World.TaskTemplate, MaxNewTokens = 1)] public partial string Feel(string story); }
[InferenceClient<LastBlockSetup>] public partial class LastBlockClient { [Prompt(World.TaskTemplate, MaxNewTokens = 1)] public partial string Feel(string story); }
[InferenceClient<AdapterSetup>] public partial class AdapterClient { [Prompt(World.TaskTemplate, MaxNewTokens = 1)] public partial string Feel(string story); }
[InferenceClient<PromptSetup>] public partial class SoftPromptClient { [Prompt(World.TaskTemplate, MaxNewTokens = 1)] public partial string Feel(string story); }

[InferenceClient<LoraSetup>]
public partial class LoraClient
{
    [Prompt(World.TaskTemplate, MaxNewTokens = 1)] public partial string Feel(string story);
    [Prompt(World.ItemTemplate, MaxNewTokens = 1)] public partial string Which(string story);

    // The feeling and, once aligned, what was gained or lost (" sad lost a hat ."): up to five words and the end.
    [Prompt(World.TaskTemplate, MaxNewTokens = 6)] public partial string Say(string story);
}
