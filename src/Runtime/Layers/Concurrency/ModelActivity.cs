using System;
using System.Runtime.CompilerServices;
using System.Threading;
using TorchSharp;

namespace ModelDsl.Layers;

/// <summary>
/// What is running on a model right now, so that overlapping calls cannot corrupt one another. Inference (generation,
/// evaluation, scoring) is shared and reference-counted: the first call switches the model to evaluation mode and the
/// last one to finish restores the mode the model had, so a call finishing early can no longer flip the model back to
/// training mode under another call still decoding. Training is exclusive: it is refused while another thread runs
/// inference on the model or trains it, and inference from another thread is refused while it trains.
/// </summary>
internal static class ModelActivity
{
    sealed class State
    {
        public int Inference;
        public bool RestoreTraining;
        public int TrainingThread = -1;
        public int TrainingDepth;
        public string TrainingBy = "";
    }

    static readonly ConditionalWeakTable<torch.nn.Module, State> States = new();

    /// <summary>
    /// Runs <paramref name="model"/> in evaluation mode until the scope is disposed (reference-counted per model). A model
    /// that is not a module gets a scope that does nothing.
    /// </summary>
    /// <exception cref="ConcurrentUseException">Another thread is training the model.</exception>
    public static IDisposable Inference(object model, string operation)
    {
        if (model is not torch.nn.Module module) return new ActionScope(() => { });
        var state = States.GetValue(module, _ => new State());
        lock (state)
        {
            if (state.TrainingDepth > 0 && state.TrainingThread != Environment.CurrentManagedThreadId)
                throw new ConcurrentUseException(
                    $"{operation} was called on {module.GetType().Name} while {state.TrainingBy} is training it on another thread; "
                    + "run inference after training returns, or from the training thread (e.g. in a StepCompleted handler).");
            if (state.Inference++ == 0)
            {
                state.RestoreTraining = module.training;
                if (module.training) module.eval();
            }
        }
        return new ActionScope(() =>
        {
            lock (state)
                if (--state.Inference == 0 && state.RestoreTraining) module.train();
        });
    }

    /// <summary>Marks <paramref name="module"/> as being trained by <paramref name="by"/> until the scope is disposed.</summary>
    /// <exception cref="ConcurrentUseException">Another thread trains the model or runs inference on it.</exception>
    public static IDisposable Training(torch.nn.Module module, string by)
    {
        var state = States.GetValue(module, _ => new State());
        var current = Environment.CurrentManagedThreadId;
        lock (state)
        {
            if (state.TrainingDepth > 0 && state.TrainingThread != current)
                throw new ConcurrentUseException(
                    $"{by} cannot train {module.GetType().Name}: {state.TrainingBy} is already training it on another thread. One trainer at a time per model.");
            if (state.Inference > 0 && state.TrainingDepth == 0)
                throw new ConcurrentUseException(
                    $"{by} cannot train {module.GetType().Name} while {state.Inference} generation or evaluation call(s) run on it; "
                    + "training would switch the model back to training mode under them. Start training after they return.");
            if (state.TrainingDepth++ == 0)
            {
                state.TrainingThread = current;
                state.TrainingBy = by;
            }
        }
        return new ActionScope(() =>
        {
            lock (state)
                if (--state.TrainingDepth == 0) state.TrainingThread = -1;
        });
    }

    /// <summary>
    /// What runs on <paramref name="module"/> that the caller's work would corrupt, or <see langword="null"/>. Training on
    /// another thread always conflicts; training on this thread when <paramref name="trainingHere"/> (the trainer holds
    /// the parameters it optimises, so swapping them under it is wrong even from its own event handler); inference when
    /// <paramref name="inference"/>.
    /// </summary>
    public static string? Busy(torch.nn.Module module, bool trainingHere, bool inference)
    {
        if (!States.TryGetValue(module, out var state)) return null;
        lock (state)
        {
            if (state.TrainingDepth > 0 && (trainingHere || state.TrainingThread != Environment.CurrentManagedThreadId))
                return $"{state.TrainingBy} is training it";
            if (inference && state.Inference > 0) return $"{state.Inference} generation or evaluation call(s) are running on it";
            return null;
        }
    }
}
