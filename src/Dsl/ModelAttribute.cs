using System;

namespace ModelDsl;

/// <summary>
/// Marks a <c>partial</c> class as a whole network. The generator turns it into a TorchSharp module:
/// every member carrying a layer attribute becomes a registered sub-module, named as in a Hugging Face
/// state dict, and the class gets a <c>ParameterCount</c> constant and a <c>ParameterShapes</c> listing.
/// </summary>
/// <remarks>
/// Write a method <c>Forward</c> (for example <c>public Tensor Forward(Tensor ids)</c>); when it takes one
/// to three arguments the generated class is a <c>Module&lt;…&gt;</c> whose <c>forward</c> calls it.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ModelAttribute : Attribute
{
}

/// <summary>
/// Marks a <c>partial</c> class as a reusable block (for example a transformer block) that a
/// <see cref="ModelAttribute"/> class repeats with <see cref="RepeatAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ModuleAttribute : Attribute
{
}
