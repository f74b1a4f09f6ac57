namespace ModelDsl.Generators.Specs;

/// <summary>A rendered source file; equatable, so an unchanged rendering is not added again.</summary>
internal sealed record GeneratedFile(string HintName, string Text);
