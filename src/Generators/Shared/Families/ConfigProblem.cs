namespace ModelDsl.Families;

/// <summary>What is wrong with a <c>config.json</c> (each maps to an exception on the runtime and a diagnostic ID at compile time).</summary>
internal enum ConfigProblemKind
{
    /// <summary>The file is not a JSON object.</summary>
    NotAnObject,
    /// <summary><c>model_type</c> is missing or names a family ModelDsl does not have.</summary>
    UnsupportedModelType,
    /// <summary><c>model_type</c> names another family than the one being read.</summary>
    OtherFamily,
    /// <summary>A required field is missing.</summary>
    MissingField,
    /// <summary>A field of the wrong JSON type or out of range.</summary>
    InvalidValue,
    /// <summary>A field whose value changes the math in a way ModelDsl does not implement.</summary>
    Unsupported,
    /// <summary>Sizes that break a family rule (heads that do not divide the width, …) or together exceed the limit.</summary>
    InvalidShape,
}

/// <summary>One thing wrong with a <c>config.json</c>.</summary>
/// <param name="Kind">What kind of problem.</param>
/// <param name="Field">The field it is about (dotted inside objects: <c>rope_scaling.factor</c>), or "".</param>
/// <param name="Detail">The description, completed by <see cref="Describe"/> with the file's name.</param>
internal sealed record ConfigProblem(ConfigProblemKind Kind, string Field, string Detail)
{
    /// <summary>The whole message, naming <paramref name="source"/> (e.g. <c>'models/qwen/config.json'</c>).</summary>
    public string Describe(string source) => Kind switch
    {
        ConfigProblemKind.NotAnObject or ConfigProblemKind.UnsupportedModelType or ConfigProblemKind.OtherFamily
            or ConfigProblemKind.MissingField => $"{source} {Detail}",
        ConfigProblemKind.InvalidShape => $"{source}: {Detail}",
        _ => $"{source} field \"{Field}\" {Detail}",
    };
}
