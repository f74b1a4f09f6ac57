using System;

namespace ModelDsl;

/// <summary>
/// Declares, on a <c>partial</c> class, the model a Hugging Face <c>config.json</c> describes — any family ModelDsl has
/// (<c>model_type</c> "gpt2", "llama", "mistral", "qwen2", "qwen3", "phi3", "gemma") — so its sizes are never retyped.
/// The generator reads the file at compile time; list it in the project's <c>AdditionalFiles</c>:
/// <code>&lt;AdditionalFiles Include="models/qwen2.5-0.5b/config.json" /&gt;</code>
/// The generated class is the family's model (as <c>[Qwen2(…)]</c> would generate it), with every check the family
/// attribute has, and the fields ModelDsl does not implement are reported by name.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class FromConfigAttribute : Attribute
{
    /// <summary>Declares the model of the <c>config.json</c> at <paramref name="path"/>.</summary>
    /// <param name="path">The file's path as listed in <c>AdditionalFiles</c> (relative to the project, '/' or '\' separators); matched by suffix.</param>
    public FromConfigAttribute(string path) => Path = path;

    /// <summary>The <c>config.json</c> path.</summary>
    public string Path { get; }
}
