namespace ModelDsl.Generators.Specs;

/// <summary>What one layer attribute declared, with its arguments as constants.</summary>
/// <param name="ExplicitName">The attribute's <c>Name</c>, if set.</param>
internal abstract record LayerSpec(string? ExplicitName);

internal sealed record LinearSpec(int InFeatures, int OutFeatures, bool Bias, string? TiedTo, string? ExplicitName)
    : LayerSpec(ExplicitName);

internal sealed record EmbeddingSpec(int Count, int Dim, string? ExplicitName) : LayerSpec(ExplicitName);

internal sealed record LayerNormSpec(int Dim, double Eps, string? ExplicitName) : LayerSpec(ExplicitName);

internal sealed record RmsNormSpec(int Dim, double Eps, string? ExplicitName) : LayerSpec(ExplicitName);

internal sealed record DropoutSpec(double P, string? ExplicitName) : LayerSpec(ExplicitName);

internal sealed record AttentionSpec(int Dim, int Heads, int KvHeads, bool Bias, string? ExplicitName) : LayerSpec(ExplicitName);

/// <param name="Activation">The <c>ModelDsl.Activation</c> member name.</param>
internal sealed record MlpSpec(int Dim, int Hidden, string Activation, string? ExplicitName) : LayerSpec(ExplicitName);

/// <param name="BlockType">Fully qualified name of the repeated <c>[Module]</c> class (global:: form), or empty when unknown.</param>
internal sealed record RepeatSpec(int Count, string BlockType, string? ExplicitName) : LayerSpec(ExplicitName);

/// <summary>An attribute whose arguments are missing or not constants yet (half-typed code).</summary>
internal sealed record IncompleteLayerSpec(string AttributeName, string? ExplicitName) : LayerSpec(ExplicitName);
