using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace ModelDsl.Layers.Autograd;

/// <summary>
/// Lifetime rules for the managed tensor handles that TorchSharp's custom autograd functions
/// (<c>torch.autograd.Function</c>) pass across the native boundary. Shared by every custom function of the runtime.
/// </summary>
/// <remarks>
/// <para>
/// libtorch copies a gradient returned by a backward callback only after the callback has returned, so the managed
/// handle cannot be freed inside the callback; left to the garbage collector it would keep the gradient's memory
/// alive long after the engine dropped it (a full activation-sized tensor per call). Handles are therefore parked
/// per thread and freed at the next custom-function call on the same thread, when the previous callback has
/// certainly returned. At most one callback's gradients stay parked per thread.
/// </para>
/// <para>
/// An exception cannot cross libtorch's autograd engine: thrown from a backward callback it would terminate the
/// process without saying where it came from. <see cref="Backward"/> ends the process with a message naming the
/// function instead.
/// </para>
/// </remarks>
internal static class CustomFunctionTensors
{
    [ThreadStatic] static List<Tensor>? _parked;

    /// <summary>Frees the gradients returned by earlier callbacks on this thread (they have been copied by now).</summary>
    public static void ReleaseParked()
    {
        var parked = _parked;
        if (parked is null || parked.Count == 0) return;
        foreach (var tensor in parked) tensor.Dispose();
        parked.Clear();
    }

    /// <summary>Keeps <paramref name="gradient"/> alive until libtorch has copied it; returns it.</summary>
    public static Tensor? Park(Tensor? gradient)
    {
        if (gradient is null) return null;
        gradient.DetachFromDisposeScope();
        (_parked ??= []).Add(gradient);
        return gradient;
    }

    /// <summary>
    /// Runs a backward callback body: frees earlier parked gradients, runs <paramref name="body"/> inside its own
    /// dispose scope, disposes the incoming gradient handle, and turns an exception into a clear process failure.
    /// </summary>
    public static List<Tensor> Backward(string functionName, Tensor gradOutput, Func<List<Tensor?>> body)
    {
        try
        {
            ReleaseParked();
            List<Tensor?> gradients;
            using (NewDisposeScope())
            {
                gradients = body();
                foreach (var gradient in gradients) Park(gradient);
            }
            // A body may hand the incoming gradient straight back (an identity); then libtorch still needs it.
            if (!gradients.Exists(g => ReferenceEquals(g, gradOutput))) gradOutput.Dispose();
            return gradients!;
        }
        catch (Exception e)
        {
            Environment.FailFast(
                $"ModelDsl: the backward pass of {functionName} failed, and an exception cannot cross libtorch's autograd " +
                $"engine, so the process stops here. Cause: {e}");
            throw; // unreachable
        }
    }
}

/// <summary>
/// Where a custom function's forward leaves the handles that must outlive it but not <c>apply</c>: the output it
/// computed (TorchSharp hands the caller a second handle to the same tensor) and the tensors it passed to
/// <c>save_for_backward</c> (TorchSharp takes them over only once <c>apply</c> has returned). All are disposed as soon
/// as <c>apply</c> returns.
/// </summary>
internal sealed class ForwardOutputSlot
{
    readonly List<Tensor> _held = [];

    /// <summary>The output as the forward callback returned it.</summary>
    public Tensor? Raw { get; set; }

    /// <summary>Keeps <paramref name="tensors"/> (created in forward and saved for backward) alive until <see cref="Release"/>.</summary>
    public void Hold(params Tensor[] tensors)
    {
        foreach (var tensor in tensors) _held.Add(tensor.DetachFromDisposeScope());
    }

    /// <summary>Disposes <see cref="Raw"/> (the caller keeps the handle <c>apply</c> returned) and the held tensors.</summary>
    public void Release()
    {
        Raw?.Dispose();
        Raw = null;
        foreach (var tensor in _held) tensor.Dispose();
        _held.Clear();
    }
}
