using System;

namespace ModelDsl.Training.Checkpoints;

/// <summary>
/// A checkpoint or checkpoint folder that cannot be used as asked: a checkpoint that does not fit the trainer (its
/// weights, optimizer state, step plan or seed), a damaged <c>trainer_state.json</c>, a folder that holds another run's
/// checkpoints, or a folder another trainer is writing to. Nothing was changed when it is thrown.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CheckpointException(string message, Exception? inner = null) : base(message, inner) { }
}
