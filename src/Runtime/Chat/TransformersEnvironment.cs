using System;
using ModelDsl.Chat.Jinja;

namespace ModelDsl.Chat;

/// <summary>
/// The Jinja environment transformers renders chat templates in (<c>_compile_jinja_template</c>): jinja2's defaults with
/// <c>trim_blocks</c> and <c>lstrip_blocks</c>, <c>break</c>/<c>continue</c>, the <c>generation</c> tag, the globals
/// <c>raise_exception(message)</c> and <c>strftime_now(format)</c>, and a <c>tojson</c> that is plain
/// <c>json.dumps</c> (no HTML escaping, <c>ensure_ascii=False</c>, optional indent/separators/sort_keys).
/// </summary>
internal static class TransformersEnvironment
{
    public static JinjaEnvironment Create(Func<DateTime> clock)
    {
        var env = new JinjaEnvironment { TrimBlocks = true, LStripBlocks = true };
        env.AddGlobal("raise_exception", new BuiltinFunction("raise_exception", (_, args) =>
        {
            var message = args.Bind("raise_exception", ("message", Arguments.Required))[0];
            throw new JinjaException(JinjaErrorKind.Raised, PythonRepr.Str(message));
        }));
        env.AddGlobal("strftime_now", new BuiltinFunction("strftime_now", (_, args) =>
        {
            var format = args.Bind("strftime_now", ("format", Arguments.Required))[0];
            return PythonStrftime.Format(clock(), format as string ?? throw JinjaException.TypeError("strftime() argument 1 must be str"));
        }));
        env.AddFilter("tojson", (_, value, args) =>
        {
            var p = args.Bind("tojson", ("ensure_ascii", false), ("indent", null), ("separators", null), ("sort_keys", false));
            return new PythonJson(PythonOps.Truthy(p[0]), p[1], p[2], PythonOps.Truthy(p[3])).Dumps(value);
        });
        return env;
    }
}
