using System;
using System.Text.Json.Nodes;
using ModelDsl.Chat;
using Xunit;

namespace ModelDsl.Tests.Chat;

/// <summary>What rendering produced on our side: the text, or the error.</summary>
internal sealed record Outcome(string? Text, ChatTemplateException? Error)
{
    public static Outcome Of(Func<string> render)
    {
        try { return new Outcome(render(), null); }
        catch (ChatTemplateException e) { return new Outcome(null, e); }
    }
}

/// <summary>Asserts that our outcome is jinja2's: the same text, or a failure too (with the same message when the
/// template itself raised through <c>raise_exception</c>).</summary>
internal static class ReferenceComparison
{
    public static void AssertSame(JsonObject reference, Outcome ours, string what)
    {
        var ok = reference["ok"]!.GetValue<bool>();
        if (ok)
        {
            var expected = reference["text"]!.GetValue<string>();
            if (ours.Error is not null)
                Assert.Fail($"{what}: jinja2 rendered {Show(expected)} but we failed: {ours.Error.Kind}: {ours.Error.Message}");
            Assert.True(expected == ours.Text, $"{what}: jinja2 rendered\n{Show(expected)}\nwe rendered\n{Show(ours.Text!)}");
            return;
        }
        var errorType = reference["error"]!.GetValue<string>();
        var message = reference["message"]!.GetValue<string>();
        if (ours.Error is null)
            Assert.Fail($"{what}: jinja2 failed ({errorType}: {message}) but we rendered {Show(ours.Text!)}");
        Assert.True(ours.Error.Kind != ChatTemplateErrorKind.Unsupported,
            $"{what}: jinja2 failed ({errorType}: {message}); we refused a feature instead: {ours.Error.Message}");
        if (errorType == "TemplateError")
        {
            Assert.Equal(ChatTemplateErrorKind.Raised, ours.Error.Kind);
            Assert.Equal(message, ours.Error.Message);
        }
    }

    static string Show(string text) => JsonValue.Create(text)!.ToJsonString(new System.Text.Json.JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
