namespace ModelDsl.Chat.Jinja;

/// <summary>
/// jinja2's default <c>Undefined</c>: prints as nothing, is false, iterates as empty, has length 0 and equals only
/// another undefined; anything else (attribute, item, arithmetic, comparison, call) raises with a message that says
/// which name was missing. The sandbox's "unsafe attribute" result is an undefined that raises a security error.
/// </summary>
internal sealed class Undefined
{
    Undefined(string? hint, string? name, object? owner, bool hasOwner, bool security)
    {
        Hint = hint;
        Name = name;
        Owner = owner;
        HasOwner = hasOwner;
        IsSecurity = security;
    }

    public string? Hint { get; }
    public string? Name { get; }
    public object? Owner { get; }
    public bool HasOwner { get; }
    public bool IsSecurity { get; }

    /// <summary>A variable that has no value.</summary>
    public static Undefined Variable(string name) => new(null, name, null, false, false);

    /// <summary>A missing attribute or item of <paramref name="owner"/>.</summary>
    public static Undefined Member(object? owner, object? key) => new(null, key is string s ? s : PythonRepr.Repr(key), owner, true, false) { KeyIsString = key is string };

    /// <summary>An undefined with jinja2's explanatory text (for example "No first item, sequence was empty.").</summary>
    public static Undefined WithHint(string hint) => new(hint, null, null, false, false);

    /// <summary>The sandbox's answer to an attribute it refuses (such as <c>list.append</c>).</summary>
    public static Undefined Unsafe(object? owner, string attribute) =>
        new($"access to attribute '{attribute}' of '{PythonTypes.NameOf(owner)}' object is unsafe.", attribute, owner, true, true);

    bool KeyIsString { get; init; } = true;

    /// <summary>The error an operation on this value raises.</summary>
    public JinjaException Error()
    {
        string message;
        if (Hint is not null) message = Hint;
        else if (!HasOwner) message = $"'{Name}' is undefined";
        else if (!KeyIsString) message = $"'{PythonTypes.NameOf(Owner)} object' has no element {Name}";
        else message = $"'{PythonTypes.NameOf(Owner)} object' has no attribute '{Name}'";
        return new JinjaException(IsSecurity ? JinjaErrorKind.Security : JinjaErrorKind.Undefined, message);
    }
}
