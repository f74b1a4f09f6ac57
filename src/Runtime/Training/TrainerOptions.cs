using System;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>How a <see cref="Trainer"/> trains. The defaults suit a small fine-tuning run.</summary>
public sealed record TrainerOptions
{
    /// <summary>Peak learning rate, reached after <see cref="WarmupSteps"/>.</summary>
    public double LearningRate { get; init; } = 3e-4;

    /// <summary>Learning rate at the end of the cosine decay.</summary>
    public double MinLearningRate { get; init; }

    /// <summary>Optimizer steps over which the learning rate rises linearly from near 0 to <see cref="LearningRate"/>.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Optimizer steps to run; takes precedence over <see cref="Epochs"/>.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Passes over the training data when <see cref="MaxSteps"/> is not set.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Sequences per micro-batch.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Micro-batches whose gradients are summed before each optimizer step.</summary>
    public int GradientAccumulation { get; init; } = 1;

    /// <summary>Largest global gradient norm; larger gradients are scaled down. 0 turns clipping off.</summary>
    public double ClipNorm { get; init; } = 1.0;

    /// <summary>Decoupled weight decay, applied to matrices only (never to biases or norm weights).</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>AdamW's first-moment decay.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW's second-moment decay.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>AdamW's denominator term.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Evaluate every this many optimizer steps (and at the end). 0: only at the end.</summary>
    public int EvalEvery { get; init; }

    /// <summary>Stop when the eval loss has not improved for this many evaluations; <see langword="null"/>: never.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>How much lower an eval loss must be to count as an improvement.</summary>
    public double EarlyStoppingMinDelta { get; init; }

    /// <summary>Seed for the model's random operations (dropout) and the data order.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Visit the training data in a new seeded order each epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Where checkpoints go; <see langword="null"/>: no checkpoints.</summary>
    public string? CheckpointDir { get; init; }

    /// <summary>Write a checkpoint every this many optimizer steps (and at the end). 0: only at the end, on cancellation and on a new best.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>
    /// Start a new run in a <see cref="CheckpointDir"/> that holds another run's checkpoints by deleting them. Without
    /// it such a folder is refused (resume that run, or pick an empty folder), so a re-run never mixes its checkpoints
    /// with an earlier run's.
    /// </summary>
    public bool OverwriteCheckpoints { get; init; }

    /// <summary>How many of the most recent checkpoints to keep (the best is always kept too).</summary>
    public int KeepLast { get; init; } = 2;

    /// <summary>Where <c>metrics.jsonl</c> and <c>loss.png</c> go; <see langword="null"/>: nowhere.</summary>
    public string? OutputDir { get; init; }

    /// <summary>Report progress every this many optimizer steps when writing plain lines.</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>Device the batches are placed on (the model must already be there). Default: CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>
    /// The number format of the forward and backward passes. In <see cref="TrainingPrecision.BFloat16"/> and
    /// <see cref="TrainingPrecision.Float16"/> the trainer converts the model it is given (which must be float32) to that
    /// dtype, frozen base included, and trains float32 master copies of the trainable parameters with float32 AdamW
    /// state; the model stays in that dtype afterwards, its trainable parameters holding the masters rounded. The loss
    /// is computed from float32 logits and RMS norms upcast to float32; libtorch's layer norm and softmax kernels
    /// accumulate half-precision inputs in float32. Checkpoints store the float32 masters and record the format, and a
    /// run is resumed only in the format that wrote it. On CPU the low-precision formats are correct but slower.
    /// </summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Float32;

    /// <summary>
    /// The float16 loss scale to start from (PyTorch's <c>GradScaler</c> default, 2^16); it halves after every step whose
    /// gradients overflow (the step is skipped) and doubles after <see cref="LossScaleGrowthInterval"/> clean steps.
    /// Only used with <see cref="TrainingPrecision.Float16"/>.
    /// </summary>
    public double InitialLossScale { get; init; } = 65536.0;

    /// <summary>Clean float16 steps in a row after which the loss scale doubles (PyTorch: 2000).</summary>
    public int LossScaleGrowthInterval { get; init; } = 2000;

    /// <summary>
    /// Recompute each transformer block's forward in backward instead of keeping its activations
    /// (<see cref="Models.DecoderLanguageModel.GradientCheckpointing"/>): the trainer turns it on for the model it trains,
    /// or for the base model of a PEFT setup, and refuses a module without such blocks. Gradients are unchanged;
    /// activation memory drops for about a third more compute.
    /// </summary>
    public bool GradientCheckpointing { get; init; }

    /// <summary>
    /// Keep the memory libtorch frees between steps in the process instead of handing it to the kernel and faulting it
    /// back in on the next step (Linux with glibc: the allocator's mmap and trim thresholds are raised for the rest of
    /// the process, and free memory is handed back when <see cref="Trainer.Fit(TrainingObjective, TrainingObjective?, System.Threading.CancellationToken)"/>
    /// returns). Full fine-tuning of GPT-2 6 × 384 ran about 1.3× faster with it. Turn it off to leave the process's
    /// allocator settings alone; elsewhere than Linux it changes nothing. On a thread other than the process's first,
    /// glibc still maps blocks over 64 MiB (large logits) per step unless the process starts with
    /// <c>GLIBC_TUNABLES=glibc.malloc.arena_max=1</c> in its environment.
    /// </summary>
    public bool KeepFreedMemory { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that makes no sense.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string rule)
        {
            if (!ok) throw new ArgumentException($"TrainerOptions.{name} = {value}: {rule}.", name);
        }
        Check(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be a positive number");
        Check(MinLearningRate >= 0 && MinLearningRate <= LearningRate, nameof(MinLearningRate), MinLearningRate, "must lie in [0, LearningRate]");
        Check(WarmupSteps >= 0, nameof(WarmupSteps), WarmupSteps, "must be ≥ 0");
        Check(MaxSteps is null or > 0, nameof(MaxSteps), MaxSteps!, "must be ≥ 1 when set");
        Check(Epochs > 0, nameof(Epochs), Epochs, "must be ≥ 1");
        Check(BatchSize > 0, nameof(BatchSize), BatchSize, "must be ≥ 1");
        Check(GradientAccumulation > 0, nameof(GradientAccumulation), GradientAccumulation, "must be ≥ 1");
        Check(ClipNorm >= 0, nameof(ClipNorm), ClipNorm, "must be ≥ 0 (0 turns clipping off)");
        Check(WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "must be ≥ 0");
        Check(Beta1 is >= 0 and < 1, nameof(Beta1), Beta1, "must lie in [0, 1)");
        Check(Beta2 is >= 0 and < 1, nameof(Beta2), Beta2, "must lie in [0, 1)");
        Check(Epsilon > 0, nameof(Epsilon), Epsilon, "must be > 0");
        Check(EvalEvery >= 0, nameof(EvalEvery), EvalEvery, "must be ≥ 0 (0: evaluate at the end only)");
        Check(EarlyStoppingPatience is null or > 0, nameof(EarlyStoppingPatience), EarlyStoppingPatience!, "must be ≥ 1 when set");
        Check(CheckpointEvery >= 0, nameof(CheckpointEvery), CheckpointEvery, "must be ≥ 0");
        Check(KeepLast > 0, nameof(KeepLast), KeepLast, "must be ≥ 1");
        Check(LogEvery > 0, nameof(LogEvery), LogEvery, "must be ≥ 1");
        Check(Enum.IsDefined(Precision), nameof(Precision), Precision, "must be Float32, BFloat16 or Float16");
        Check(InitialLossScale > 0 && float.IsFinite((float)InitialLossScale), nameof(InitialLossScale), InitialLossScale,
            "must be a positive value that float32 can hold (PyTorch's default is 65536)");
        Check(LossScaleGrowthInterval > 0, nameof(LossScaleGrowthInterval), LossScaleGrowthInterval, "must be ≥ 1 step");
    }
}
