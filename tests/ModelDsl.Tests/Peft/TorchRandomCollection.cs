using Xunit;

namespace ModelDsl.Tests.Peft;

/// <summary>
/// The PEFT tests seed TorchSharp's global generator (<c>manual_seed</c>) and build identical bases from a seed,
/// so they run alone: no other test may draw from the generator between a seed and its use.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRandomCollection
{
    public const string Name = "Torch global random generator";
}
