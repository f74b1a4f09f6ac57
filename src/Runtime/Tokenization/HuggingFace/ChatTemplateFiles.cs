using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.IO;

namespace ModelDsl.Tokenization;

/// <summary>
/// Chat templates saved as files beside <c>tokenizer_config.json</c>, as transformers writes them since 4.47:
/// <c>chat_template.jinja</c> is the default template and <c>additional_chat_templates/NAME.jinja</c> the template named
/// NAME. When present they win over the config's <c>chat_template</c> field, as they do in transformers.
/// </summary>
internal static class ChatTemplateFiles
{
    /// <summary>The default template's file name.</summary>
    public const string DefaultFile = "chat_template.jinja";

    /// <summary>The folder of named templates.</summary>
    public const string AdditionalFolder = "additional_chat_templates";

    /// <summary>The templates saved as files in <paramref name="directory"/>, by name (<c>default</c> for <see cref="DefaultFile"/>); empty when there are none.</summary>
    public static Dictionary<string, string> Read(string directory, long maxBytes)
    {
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        var single = Path.Combine(directory, DefaultFile);
        if (File.Exists(single)) templates["default"] = Text(single, maxBytes);
        var folder = Path.Combine(directory, AdditionalFolder);
        if (Directory.Exists(folder))
            foreach (var file in Directory.GetFiles(folder, "*.jinja").Order(StringComparer.Ordinal))
                templates[Path.GetFileNameWithoutExtension(file)] = Text(file, maxBytes);
        return templates;
    }

    static string Text(string path, long maxBytes) =>
        BoundedFile.ReadAllText(path, maxBytes, length => new InvalidDataException(BoundedFile.TooLarge(path, length, maxBytes, "a chat template") + "."));
}
