using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.ML.Tokenizers;
using ModelDsl.Data;
using ModelDsl.Layers;
using ModelDsl.Layers.Autograd;
using ModelDsl.Layers.Checkpointing;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Training.Checkpoints;
using ModelDsl.Training.Precision;
using ModelDsl.Training.Reporting;
using Spectre.Console;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Trains an <see cref="nn.Module"/> — a model or a PEFT setup whose frozen parameters have <c>requires_grad == false</c> —
/// on a <see cref="TrainingObjective"/>: next-token prediction for an <see cref="ICausalLanguageModel"/>, or a preference
/// objective (DPO, a reward model's Bradley–Terry loss). Only trainable parameters are optimised
/// (AdamW; no weight decay on 1-D parameters such as biases and norm weights), with linear warmup and cosine
/// decay, gradient accumulation and clipping, periodic evaluation, early stopping, atomic checkpoints and
/// exact resumption.
/// </summary>
public sealed class Trainer : IDisposable
{
    readonly nn.Module _module;
    readonly ICausalLanguageModel? _model;
    readonly TextWriter? _log;
    readonly (string Name, Parameter Parameter)[] _trainable;
    readonly AdamW _optimizer;
    readonly PrecisionPolicy _precision;
    readonly OneCallAtATime _calls = new(nameof(Trainer));
    CheckpointState? _resumeState;
    string? _resumeDirectory;
    // The run this trainer's checkpoints belong to: its own, or the one it resumed.
    string _runId = Guid.NewGuid().ToString("N");

    /// <summary>
    /// Creates a trainer. Progress goes to <paramref name="log"/> as plain lines; without one, to the console
    /// (a live progress bar on a terminal, plain lines when output is redirected). Training on token sequences needs an
    /// <see cref="ICausalLanguageModel"/>; other modules (a reward model) train on a <see cref="TrainingObjective"/>.
    /// </summary>
    public Trainer(nn.Module model, TrainerOptions? options = null, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model as ICausalLanguageModel;
        _module = model;
        Options = options ?? new TrainerOptions();
        Options.Validate();
        _log = log;
        if (Options.GradientCheckpointing) EnableGradientCheckpointing(model);
        var trainable = TrainedParameters.Of(model);
        if (trainable.Length == 0)
            throw new ArgumentException($"{model.GetType().Name} has no parameter with requires_grad: nothing to train.", nameof(model));
        _precision = PrecisionPolicy.Create(model, trainable, Options);
        _trainable = _precision.Optimized;   // the float32 masters in bfloat16/float16
        _optimizer = new AdamW(_trainable.Select(p => (p.Name, p.Parameter, NoDecay: p.Parameter.dim() < 2)),
            Options.WeightDecay, Options.Beta1, Options.Beta2, Options.Epsilon);
        if (Options.CheckpointDir is not null) Checkpoints = new CheckpointStore(Options.CheckpointDir, Options.KeepLast);
    }

    /// <summary>The options this trainer runs with.</summary>
    public TrainerOptions Options { get; }

    /// <summary>Names of the parameters being trained.</summary>
    public IReadOnlyList<string> TrainableParameterNames => _trainable.Select(p => p.Name).ToArray();

    /// <summary>Number of trainable scalars.</summary>
    public long TrainableParameterCount => _trainable.Sum(p => p.Parameter.numel());

    /// <summary>The float16 loss scale the next step will use; <see langword="null"/> unless <see cref="TrainerOptions.Precision"/> is Float16.</summary>
    public double? LossScale => _precision.Scaler?.Scale;

    /// <summary>Names of the parameters that get weight decay (the matrices).</summary>
    public IEnumerable<string> DecayedParameterNames => _optimizer.DecayedParameterNames;

    /// <summary>Raised after every optimizer step (e.g. to stop a run from outside).</summary>
    public event Action<StepRecord>? StepCompleted;

    internal CheckpointStore? Checkpoints { get; }

    /// <summary>Test hook: a terminal to draw the progress bar on instead of the process's console.</summary>
    internal IAnsiConsole? Terminal { get; set; }

    /// <summary>
    /// Loads a checkpoint (a checkpoint directory, or a root whose newest checkpoint of its run is taken) into the model,
    /// the optimizer and the run's position; the next <c>Fit</c> continues that run exactly, and its checkpoints belong
    /// to it. Checkpoints hold the trainable weights only, so frozen base weights must be the same as when it was
    /// written. Everything is checked before anything changes: a checkpoint that does not fit leaves the model and the
    /// optimizer as they were.
    /// </summary>
    /// <exception cref="CheckpointException">
    /// The checkpoint's weights or optimizer state do not fit this model's trainable parameters, its
    /// <c>trainer_state.json</c> is damaged, or it was written by a run with another step budget (when
    /// <see cref="TrainerOptions.MaxSteps"/> is set; otherwise <c>Fit</c> checks the budget first) or another seed.
    /// </exception>
    public void Resume(string checkpointPath)
    {
        using var call = _calls.Enter(nameof(Resume));
        using var checkpoint = Checkpoint.Load(checkpointPath);
        RequireFits(checkpoint);
        using (no_grad())
            foreach (var (name, parameter) in _trainable)
                parameter.copy_(checkpoint.Weights[name]);
        _precision.MastersToWorking();
        if (checkpoint.State.LossScale is { } scale) _precision.Scaler!.Restore((float)scale, checkpoint.State.LossScaleGrowthTracker);
        _optimizer.LoadState(checkpoint.OptimizerState, checkpoint.State.OptimizerSteps ?? checkpoint.State.Step);
        _resumeState = checkpoint.State;
        _resumeDirectory = Path.GetFullPath(checkpoint.Directory);
        if (checkpoint.State.RunId.Length > 0) _runId = checkpoint.State.RunId;
    }

    // Every check Resume makes before it changes anything.
    void RequireFits(Checkpoint checkpoint)
    {
        var where = checkpoint.Directory;
        var expected = _trainable.Select(p => p.Name).ToHashSet();
        var missing = expected.Where(n => !checkpoint.Weights.ContainsKey(n)).ToList();
        var unexpected = checkpoint.Weights.Keys.Where(n => !expected.Contains(n)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new CheckpointException($"Checkpoint '{where}' does not fit this model's trainable parameters: "
                + $"missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]. Resume with the model or setup that wrote it.");
        foreach (var (name, parameter) in _trainable)
        {
            var saved = checkpoint.Weights[name];
            if (!saved.shape.SequenceEqual(parameter.shape))
                throw new CheckpointException($"Checkpoint '{where}': weight '{name}' has shape [{string.Join(", ", saved.shape)}]; the model has [{string.Join(", ", parameter.shape)}].");
            if (!saved.is_floating_point())
                throw new CheckpointException($"Checkpoint '{where}': weight '{name}' is stored as {saved.dtype}; trainable weights are floating point.");
        }
        if (_optimizer.Mismatch(checkpoint.OptimizerState) is { } problem)
            throw new CheckpointException($"Checkpoint '{where}': the optimizer state {problem}.");
        var state = checkpoint.State;
        var precision = PrecisionPolicy.NameOf(Options.Precision);
        if (state.Precision != precision)
            throw new CheckpointException($"Checkpoint '{where}' was written by a {state.Precision} run, and these options have Precision = "
                + $"{Options.Precision} ({precision}); resume in the precision that wrote it, so its optimizer state and loss scale mean what they meant.");
        if (state.LossScaleGrowthTracker >= Options.LossScaleGrowthInterval)
            throw new CheckpointException($"Checkpoint '{where}' counts {state.LossScaleGrowthTracker} clean float16 steps towards a loss-scale growth, "
                + $"more than these options' LossScaleGrowthInterval of {Options.LossScaleGrowthInterval} allows; resume with the interval that wrote it.");
        if (Options.MaxSteps is { } planned && planned != state.TotalSteps)
            throw new CheckpointException(PlanMismatch(state.TotalSteps, planned));
        if (state.Seed != Options.Seed)
            throw new CheckpointException($"Checkpoint '{where}' was written by a run with Seed {state.Seed}, and these options have Seed {Options.Seed}; "
                + "the seed orders the data, so resume with the same seed.");
        using var rng = get_rng_state();
        var saved64 = Convert.FromBase64String(state.RngState);
        if (saved64.Length != rng.numel())
            throw new CheckpointException($"Checkpoint '{where}' holds a random-generator state of {saved64.Length} bytes; this runtime's CPU generator has {rng.numel()}.");
    }

    static string PlanMismatch(long saved, long planned) =>
        $"The checkpoint was written by a run planned for {saved} steps; these options and data plan {planned}. "
        + "Resume with the same MaxSteps/Epochs, BatchSize, GradientAccumulation and data.";

    /// <summary>
    /// Tokenizes <paramref name="train"/> (and <paramref name="eval"/>) with <paramref name="tokenizer"/> and trains.
    /// Without a <see cref="TokenizationOptions.MaxLength"/>, examples longer than the model's context are truncated to
    /// it; the progress output says how many were.
    /// </summary>
    public TrainingResult Fit(Dataset train, Dataset? eval, Tokenizer tokenizer, TokenizationOptions? tokenization = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var options = (tokenization ?? new TokenizationOptions()).WithDefaultMaxLength(LanguageModel.ContextLength);
        return Fit(train.Tokenize(tokenizer, options), eval?.Tokenize(tokenizer, options), cancellationToken);
    }

    /// <summary>
    /// Trains until the step or epoch budget is spent, early stopping fires, or <paramref name="cancellationToken"/>
    /// is cancelled (a checkpoint is then saved and the method returns normally). After <see cref="Resume"/> it
    /// continues the saved run; otherwise it starts a run at step 0 with the data order and dropout seeded from
    /// <see cref="TrainerOptions.Seed"/>.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss or gradient norm became NaN or infinite.</exception>
    /// <exception cref="CheckpointException">
    /// The checkpoint folder holds another run's checkpoints or another trainer is writing to it, or the resumed
    /// checkpoint's step plan differs.
    /// </exception>
    /// <exception cref="ConcurrentUseException">This trainer is already fitting on another thread, or another thread trains or generates with the model.</exception>
    public TrainingResult Fit(TokenizedDataset train, TokenizedDataset? eval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        _ = LanguageModel;
        return Fit(new NextTokenObjective(_module, train), eval is null ? null : new NextTokenObjective(_module, eval), cancellationToken);
    }

    /// <summary>
    /// Trains on <paramref name="train"/> (DPO, a reward model, next-token prediction…) exactly as
    /// <see cref="Fit(TokenizedDataset, TokenizedDataset?, CancellationToken)"/> does on token sequences, evaluating on
    /// <paramref name="eval"/>: same budget, schedule, checkpoints, resume, progress output and <c>metrics.jsonl</c>,
    /// with the objective's own metrics added to each record.
    /// </summary>
    /// <exception cref="ArgumentException">An objective is bound to another module than this trainer's.</exception>
    /// <exception cref="TrainingDivergedException">The loss or gradient norm became NaN or infinite.</exception>
    /// <exception cref="CheckpointException">The checkpoint folder holds another run's checkpoints or another trainer is writing to it, or the resumed checkpoint's step plan differs.</exception>
    /// <exception cref="ConcurrentUseException">This trainer is already fitting on another thread, or another thread trains or generates with the model.</exception>
    public TrainingResult Fit(TrainingObjective train, TrainingObjective? eval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        RequireOwnModule(train, nameof(train));
        if (eval is not null) RequireOwnModule(eval, nameof(eval));
        using var call = _calls.Enter(nameof(Fit));
        using var training = ModelActivity.Training(_module, "Trainer.Fit");
        using var heap = Options.KeepFreedMemory ? HeapRetention.Begin() : null;
        train.RequireFits(nameof(train));
        eval?.RequireFits(nameof(eval));
        // The folder is locked for the whole run (a second trainer writing there is refused) and crashed saves recovered.
        using var writing = Checkpoints?.BeginWriting();
        if (_resumeDirectory is not null) _resumeDirectory = CheckpointStore.Canonical(_resumeDirectory);
        var terminal = Terminal
            ?? (_log is null && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive ? AnsiConsole.Console : null);
        if (terminal is not null)
        {
            var result = ProgressBarReporter.Run(terminal, reporter => new TrainingRun(this, train, eval, reporter).Run(cancellationToken));
            terminal.Write(SummaryTable.Build(result));
            return result;
        }
        return new TrainingRun(this, train, eval, new PlainReporter(_log ?? Console.Out, Options.LogEvery)).Run(cancellationToken);
    }

    /// <summary>Evaluates the model on <paramref name="data"/> (eval mode, no gradients).</summary>
    /// <exception cref="ArgumentException">A sequence is longer than the context or holds a token id outside the vocabulary.</exception>
    public EvalRecord Evaluate(TokenizedDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var call = _calls.Enter(nameof(Evaluate));
        DataChecks.RequireFits(data, LanguageModel, nameof(data));
        return Evaluator.Run(_module, data, Options.BatchSize, _optimizer.Step, Options.Device);
    }

    /// <summary>Evaluates the objective on its data (eval mode, no gradients).</summary>
    /// <exception cref="ArgumentException">The objective is bound to another module, or its data does not fit the model.</exception>
    public EvalRecord Evaluate(TrainingObjective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        RequireOwnModule(objective, nameof(objective));
        using var call = _calls.Enter(nameof(Evaluate));
        objective.RequireFits(nameof(objective));
        return objective.Evaluate(Options.BatchSize, _optimizer.Step, Options.Device);
    }

    ICausalLanguageModel LanguageModel => _model ?? throw new InvalidOperationException(
        $"{_module.GetType().Name} does not implement {nameof(ICausalLanguageModel)}, so it cannot train on token sequences; train it on a {nameof(TrainingObjective)} (e.g. RewardObjective).");

    void RequireOwnModule(TrainingObjective objective, string role)
    {
        if (!ReferenceEquals(objective.Module, _module))
            throw new ArgumentException($"The {role} objective is bound to {objective.Module.GetType().Name}, not to the {_module.GetType().Name} this trainer optimises; build it over the same module.", role);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _optimizer.Dispose();
        _precision.Dispose();
    }

    static void EnableGradientCheckpointing(nn.Module model)
    {
        var blocks = model as IGradientCheckpointing ?? (model as PeftSetup)?.BaseModel as IGradientCheckpointing
            ?? throw new ArgumentException(
                $"TrainerOptions.GradientCheckpointing = true needs a model made of repeated blocks (a family model, a [Model] " +
                $"whose [Repeat] blocks take tensors and return one, or a PEFT setup over either); {model.GetType().Name} is " +
                "none of these. Turn the option off, or run its blocks through GradientCheckpoint.Run in its own forward.", nameof(model));
        blocks.GradientCheckpointing = true;
    }

    /// <summary>One call of <see cref="Fit(TrainingObjective, TrainingObjective?, CancellationToken)"/>: the loop and its bookkeeping.</summary>
    sealed class TrainingRun(Trainer trainer, TrainingObjective train, TrainingObjective? eval, ITrainingReporter reporter)
    {
        readonly TrainerOptions _o = trainer.Options;
        readonly List<StepRecord> _steps = [];
        readonly List<EvalRecord> _evals = [];
        List<double> _losses = [];
        long _step, _microBatches;
        double? _bestLoss;
        string? _bestCheckpoint, _lastCheckpoint;
        // The newest checkpoint whose weights went on to give a finite loss: the newest one written may
        // already hold the weights that overflow, so it is "good" only once the next step's loss is finite.
        string? _goodCheckpoint;
        int _evalsWithoutImprovement;
        long _savedStep = -1;

        public TrainingResult Run(CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            var sampler = new BatchSampler(train.Count, _o.BatchSize, _o.Seed, _o.Shuffle);
            var stepsPerEpoch = Math.Max(1, sampler.BatchesPerEpoch / _o.GradientAccumulation);
            long total = _o.MaxSteps ?? (long)_o.Epochs * stepsPerEpoch;
            // Check, then claim the folder, then change state: a refusal leaves everything as it was.
            if (trainer._resumeState is { } resumed && resumed.TotalSteps != total)
                throw new CheckpointException(PlanMismatch(resumed.TotalSteps, total));
            trainer.Checkpoints?.Claim(trainer._runId, trainer._resumeDirectory, trainer._resumeState?.RunId, _o.OverwriteCheckpoints);
            Restore();
            if (train.DataNote is { } note) reporter.Note(note);
            using var metrics = _o.OutputDir is null ? null : new MetricsLog(_o.OutputDir, _step);
            trainer._module.train();
            reporter.Started(total, _step, trainer.TrainableParameterCount);

            var stop = _step >= total ? StopReason.Completed : (StopReason?)null;
            var runStart = _step;
            while (stop is null)
            {
                if (cancellationToken.IsCancellationRequested) { stop = StopReason.Cancelled; break; }
                var record = TrainStep(sampler, total);
                metrics?.Write(record);
                var eta = TimeSpan.FromTicks((long)(clock.Elapsed.Ticks / (double)(_step - runStart) * (total - _step)));
                reporter.Stepped(record, eta);
                trainer.StepCompleted?.Invoke(record);

                var (newBest, patienceSpent) = eval is not null && ((_o.EvalEvery > 0 && _step % _o.EvalEvery == 0) || _step == total)
                    ? Evaluate(eval, metrics)
                    : (false, false);
                if (patienceSpent) stop = StopReason.EarlyStopped;
                if (_step >= total) stop ??= StopReason.Completed;
                if (cancellationToken.IsCancellationRequested) stop ??= StopReason.Cancelled;
                var periodic = _o.CheckpointEvery > 0 && _step % _o.CheckpointEvery == 0;
                if (trainer.Checkpoints is not null && (newBest || periodic || stop is not null))
                    Save(total, newBest);
            }
            // Cancelled between steps: the last step may not have been saved yet.
            if (stop == StopReason.Cancelled && trainer.Checkpoints is not null && _step > 0 && _savedStep != _step)
                Save(total, newBest: false);

            var result = new TrainingResult
            {
                StopReason = stop!.Value, Step = _step, TotalSteps = total, Steps = _steps, LossHistory = _losses,
                Evaluations = _evals, BestEvalLoss = _bestLoss, BestCheckpoint = _bestCheckpoint,
                LastCheckpoint = _lastCheckpoint, Duration = clock.Elapsed,
            };
            if (_o.OutputDir is not null && _losses.Count > 0)
                LossCurve.Save(Path.Combine(_o.OutputDir, LossCurve.FileName), _losses, _evals);
            reporter.Finished(result);
            return result;
        }

        /// <summary>Runs an evaluation; tells whether it set a new best and whether early stopping's patience is spent.</summary>
        (bool NewBest, bool PatienceSpent) Evaluate(TrainingObjective data, MetricsLog? metrics)
        {
            var e = data.Evaluate(_o.BatchSize, _step, _o.Device);
            if (!double.IsFinite(e.Loss)) throw new TrainingDivergedException(_step, "eval loss", e.Loss, _goodCheckpoint);
            _evals.Add(e);
            metrics?.Write(e);
            reporter.Evaluated(e);
            if (_bestLoss is null || e.Loss < _bestLoss - _o.EarlyStoppingMinDelta)
            {
                _bestLoss = e.Loss;
                _evalsWithoutImprovement = 0;
                return (true, false);
            }
            if (++_evalsWithoutImprovement < (_o.EarlyStoppingPatience ?? int.MaxValue)) return (false, false);
            reporter.Note($"early stopping: no eval improvement in {_evalsWithoutImprovement} evaluations (best {_bestLoss:F4})");
            return (false, true);
        }

        StepRecord TrainStep(BatchSampler sampler, long total)
        {
            var clock = Stopwatch.StartNew();
            using var scope = NewDisposeScope();
            var lr = LearningRateSchedule.At(_step, total, _o.WarmupSteps, _o.LearningRate, _o.MinLearningRate);
            var epoch = sampler.EpochOf(_microBatches);
            var microBatches = new List<IReadOnlyList<int>>();
            for (var i = 0; i < _o.GradientAccumulation; i++) microBatches.Add(sampler.Indices(_microBatches++).ToList());
            // Weight every micro-batch by its loss units (scored tokens, pairs), so the step's loss is the mean over all of them.
            double weight = microBatches.Sum(train.LossWeight);
            double sumLoss = 0;
            long tokens = 0;
            Dictionary<string, double>? metricSums = null;
            foreach (var indices in microBatches)
            {
                using var inner = NewDisposeScope();
                var part = train.Loss(indices, _o.Device);
                trainer._precision.ScaleLoss(part.Sum / weight).backward();
                // The last custom function's returned gradient (the loss's: [N, D]) is no longer needed.
                CustomFunctionTensors.ReleaseParked();
                sumLoss += part.Sum.to_type(ScalarType.Float64).item<double>();
                tokens += part.Tokens;
                foreach (var (name, value) in part.MetricSums ?? new Dictionary<string, double>())
                    (metricSums ??= [])[name] = metricSums.GetValueOrDefault(name) + value;
            }
            _step++;
            var loss = sumLoss / weight;
            // A float16 loss-scaling overflow is not divergence: the step is skipped and the scale lowered.
            if (!double.IsFinite(loss)) throw new TrainingDivergedException(_step, "training loss", loss, _goodCheckpoint);
            var scale = trainer._precision.Scaler?.Scale;
            var overflowed = trainer._precision.GradientsToMasters();
            var norm = double.PositiveInfinity;
            if (!overflowed)
            {
                var parameters = trainer._trainable.Select(p => p.Parameter).ToArray();
                norm = nn.utils.clip_grad_norm_(parameters, _o.ClipNorm > 0 ? _o.ClipNorm : double.PositiveInfinity);
                if (!double.IsFinite(norm)) throw new TrainingDivergedException(_step, "gradient norm", norm, _goodCheckpoint);
                trainer._optimizer.Apply(lr);
                trainer._precision.MastersToWorking();
            }
            _goodCheckpoint = _lastCheckpoint;
            trainer._optimizer.ZeroGrad();
            trainer._precision.EndStep();
            _losses.Add(loss);
            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            var record = new StepRecord(_step, total, epoch, loss, lr, norm, tokens, tokens / seconds,
                metricSums?.ToDictionary(m => m.Key, m => m.Value / weight), scale, overflowed);
            _steps.Add(record);
            return record;
        }

        void Restore()
        {
            var state = trainer._resumeState;
            if (state is null)
            {
                manual_seed(_o.Seed);
                return;
            }
            _step = state.Step;
            _microBatches = state.MicroBatchesConsumed;
            _bestLoss = state.BestEvalLoss;
            _bestCheckpoint = state.BestCheckpoint is null || trainer.Checkpoints is null ? null : Path.Combine(trainer.Checkpoints.Root, state.BestCheckpoint);
            _evalsWithoutImprovement = state.EvalsWithoutImprovement;
            _losses = [.. state.StepLosses];
            // The checkpoint resumed from becomes "good" as soon as its weights give a finite loss.
            _lastCheckpoint = trainer._resumeDirectory;
            _savedStep = _step;
            using var rng = tensor(Convert.FromBase64String(state.RngState), ScalarType.Byte);
            set_rng_state(rng);
            trainer._resumeState = null;
        }

        void Save(long total, bool newBest)
        {
            var store = trainer.Checkpoints!;
            var name = CheckpointStore.NameFor(_step);
            if (newBest) _bestCheckpoint = Path.Combine(store.Root, name);
            using var rng = get_rng_state();
            var state = new CheckpointState
            {
                RunId = trainer._runId, Step = _step, TotalSteps = total, MicroBatchesConsumed = _microBatches, Seed = _o.Seed,
                RngState = Convert.ToBase64String(rng.bytes), BestEvalLoss = _bestLoss,
                BestCheckpoint = _bestCheckpoint is null ? null : Path.GetFileName(_bestCheckpoint),
                EvalsWithoutImprovement = _evalsWithoutImprovement, StepLosses = [.. _losses],
                OptimizerSteps = trainer._optimizer.Step == _step ? null : trainer._optimizer.Step,
                Precision = PrecisionPolicy.NameOf(_o.Precision), LossScale = trainer._precision.Scaler?.Scale,
                LossScaleGrowthTracker = trainer._precision.Scaler?.GrowthTracker ?? 0,
            };
            var weights = trainer._trainable.Select(p => KeyValuePair.Create(p.Name, (Tensor)p.Parameter));
            _lastCheckpoint = store.Save(state, weights, trainer._optimizer.StateTensors(), _bestCheckpoint, _goodCheckpoint);
            _savedStep = _step;
        }
    }
}
