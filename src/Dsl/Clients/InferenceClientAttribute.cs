using System;

namespace ModelDsl;

/// <summary>
/// Marks a <c>partial</c> class as a typed inference client over a generated model or fine-tuning setup
/// <typeparamref name="TModel"/>. Each <c>partial</c> method carrying <see cref="PromptAttribute"/> is implemented by the
/// generator: it renders the prompt (with few-shot examples), checks the context window with real token counts,
/// and generates text or chooses among an enum's labels.
/// </summary>
/// <typeparam name="TModel">A <c>[Gpt2]</c> or <c>[Llama]</c> model, or a <c>[FineTune&lt;T&gt;]</c> setup over one.</typeparam>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class InferenceClientAttribute<TModel> : Attribute where TModel : class
{
}
