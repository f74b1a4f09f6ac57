namespace ModelDsl.Shared.Peft;

/// <summary>
/// One argument of a PEFT method that is out of range: the diagnostic ID the analyzer reports, the argument as the
/// attribute names it, and a message saying what would be right. The runtime throws with the same message.
/// </summary>
internal sealed record ArgumentProblem(string Id, string Argument, string Message);
