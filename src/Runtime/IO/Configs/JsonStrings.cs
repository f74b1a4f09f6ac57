using System;
using System.Globalization;
using System.Text.Json;

namespace ModelDsl.IO;

/// <summary>
/// Valid JSON can still escape an unpaired UTF-16 surrogate (<c>"\uD800"</c>), which no .NET string can hold:
/// reading such a string throws <see cref="InvalidOperationException"/>. Configuration readers look for one
/// first, so they can report it as a problem of the file.
/// </summary>
internal static class JsonStrings
{
    /// <summary>The JSON path of the first string or property name that cannot be read as text, or <see langword="null"/>.</summary>
    public static string? FirstUndecodable(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Decodes(() => element.GetString()) ? null : path;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Decodes(() => property.Name)) return path + ".<name>";
                    if (FirstUndecodable(property.Value, path + "." + property.Name) is { } found) return found;
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstUndecodable(item, path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]") is { } found) return found;
                    index++;
                }
                return null;
            default:
                return null;
        }
    }

    static bool Decodes(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException) { return false; }
    }
}
