using System.Collections.Generic;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// How template values map to Python types: <c>null</c> is None, <see cref="bool"/>, <see cref="long"/> is int,
/// <see cref="double"/> is float, <see cref="string"/> is str, <see cref="List{T}"/> of objects is list,
/// <see cref="PyTuple"/>, <see cref="PyDict"/>, and the engine's own objects.
/// </summary>
internal static class PythonTypes
{
    public static string NameOf(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        List<object?> => "list",
        PyTuple => "tuple",
        PyDict => "dict",
        PyRange => "range",
        DictView view => view.TypeName,
        PyIterator iterator => iterator.TypeName,
        Undefined => "Undefined",
        Namespace => "Namespace",
        LoopContext => "LoopContext",
        Macro => "Macro",
        ICallable => "builtin_function_or_method",
        _ => value.GetType().Name,
    };

    /// <summary>Python's int includes bool.</summary>
    public static bool IsInt(object? value) => value is long or bool;

    public static bool IsNumber(object? value) => value is long or bool or double;

    public static long AsLong(object? value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw JinjaException.TypeError($"'{NameOf(value)}' object cannot be interpreted as an integer"),
    };

    public static double AsDouble(object? value) => value switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw JinjaException.TypeError($"must be real number, not {NameOf(value)}"),
    };
}
