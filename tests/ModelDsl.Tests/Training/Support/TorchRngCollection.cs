using Xunit;

namespace ModelDsl.Tests.Training.Support;

/// <summary>
/// Torch's default random generator is process-wide: a test that seeds it and checks bit-exact results must
/// not run while another test draws from it. Tests in this collection run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRngCollection
{
    public const string Name = "torch global RNG";
}
