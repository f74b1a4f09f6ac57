namespace ModelDsl.Generators.Specs;

/// <summary>A model or setup the generated command line offers.</summary>
/// <param name="TypeName">Fully qualified name of the model or setup.</param>
/// <param name="Name">Its class name (what <c>--target</c> takes).</param>
/// <param name="Description">One line for <c>list</c>.</param>
/// <param name="BaseModelType">For a setup, the model it wraps; <see langword="null"/> for a model.</param>
/// <param name="NeedsTokenizer">The setup's constructor takes a tokenizer (a text-initialised soft prompt).</param>
/// <param name="DeclaresDpo">The setup declares <c>[Dpo]</c>, so it has a static <c>DpoOptions</c> for <c>train --objective dpo</c>.</param>
internal sealed record CommandEntry(string TypeName, string Name, string Description, string? BaseModelType, bool NeedsTokenizer, bool DeclaresDpo = false);

/// <summary>Every entry of the generated command line, in name order.</summary>
internal sealed record CommandEntries(EquatableArray<CommandEntry> Items);
