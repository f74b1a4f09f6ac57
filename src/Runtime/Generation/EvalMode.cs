using System;
using ModelDsl.Layers;

namespace ModelDsl.Generation;

/// <summary>
/// Evaluation mode for one generation or scoring call. Reference-counted per model (see <see cref="ModelActivity"/>):
/// overlapping calls on one model share it, and only the last one to finish restores training mode, so a call that
/// ends early can no longer switch dropout back on under another that is still decoding.
/// </summary>
internal static class EvalMode
{
    /// <summary>Switches <paramref name="model"/> to evaluation mode (when it is a module) until the scope is disposed.</summary>
    public static IDisposable Enter(object model) => ModelActivity.Inference(model, "Generation");
}
