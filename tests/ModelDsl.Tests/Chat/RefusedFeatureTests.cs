using System.Collections.Generic;
using ModelDsl.Chat;
using Xunit;

namespace ModelDsl.Tests.Chat;

/// <summary>Every Jinja or Python feature the engine does not implement is refused with an error that names it,
/// never rendered differently from jinja2 or silently skipped.</summary>
public sealed class RefusedFeatureTests
{
    static ChatTemplateException Refusal(string template, string? named = null)
    {
        var error = Assert.Throws<ChatTemplateException>(() => new ChatTemplate(template).Render([ChatTurn.User("hi")], false,
            new Dictionary<string, object?> { ["s"] = "abc", ["n"] = 5L, ["xs"] = new List<object?> { 1L, 2L } }));
        if (named is not null) Assert.Contains(named, error.Message);
        return error;
    }

    static void AssertUnsupported(string template, string named)
    {
        var error = Refusal(template, named);
        Assert.Equal(ChatTemplateErrorKind.Unsupported, error.Kind);
        Assert.Contains("not supported", error.Message);
    }

    [Theory]
    [InlineData("{% extends 'base.html' %}", "'extends' tag")]
    [InlineData("{% block body %}x{% endblock %}", "'block' tag")]
    [InlineData("{% include 'other.jinja' %}", "'include' tag")]
    [InlineData("{% import 'macros.jinja' as m %}", "'import' tag")]
    [InlineData("{% from 'macros.jinja' import m %}", "'from' tag")]
    [InlineData("{% autoescape true %}x{% endautoescape %}", "'autoescape' tag")]
    public void Template_loading_and_inheritance_tags_are_refused(string template, string named) => AssertUnsupported(template, named);

    [Fact]
    public void Recursive_loops_are_refused() => AssertUnsupported("{% for x in xs recursive %}{{ loop(x) }}{% endfor %}", "recursive for loop");

    [Theory]
    [InlineData("escape")]
    [InlineData("e")]
    [InlineData("forceescape")]
    [InlineData("filesizeformat")]
    [InlineData("groupby")]
    [InlineData("pprint")]
    [InlineData("random")]
    [InlineData("striptags")]
    [InlineData("urlencode")]
    [InlineData("urlize")]
    [InlineData("wordwrap")]
    [InlineData("xmlattr")]
    public void Unimplemented_jinja_filters_are_refused_by_name_when_used(string filter)
    {
        AssertUnsupported($"{{{{ s | {filter} }}}}", $"'{filter}' filter");
        // A template that only mentions the filter on a path it does not take still renders, as in jinja2.
        Assert.Equal("ok", new ChatTemplate($"{{% if false %}}{{{{ s | {filter} }}}}{{% endif %}}ok").Render([], false));
    }

    [Fact]
    public void The_escaped_test_is_refused() => AssertUnsupported("{{ s is escaped }}", "'escaped' test");

    [Theory]
    [InlineData("{{ cycler('a', 'b') }}", "'cycler'")]
    [InlineData("{{ lipsum() }}", "'lipsum'")]
    public void Unimplemented_globals_are_refused_when_called(string template, string named) => AssertUnsupported(template, named);

    [Theory]
    [InlineData("{{ s.casefold() }}", "'str.casefold'")]
    [InlineData("{{ s.encode() }}", "'str.encode'")]
    [InlineData("{{ s.translate({}) }}", "'str.translate'")]
    [InlineData("{{ s.expandtabs() }}", "'str.expandtabs'")]
    [InlineData("{{ n.bit_length() }}", "'int.bit_length'")]
    [InlineData("{{ {}.fromkeys(xs) }}", "'dict.fromkeys'")]
    public void Unimplemented_python_methods_are_refused_by_name(string template, string named) => AssertUnsupported(template, named);

    [Theory]
    [InlineData("{{ '{:>5}'.format(s) }}", "format specs")]
    [InlineData("{{ '{0.real}'.format(n) }}", "attribute access")]
    [InlineData("{{ '%x' % n }}", "'%x' conversion")]
    [InlineData("{{ '%*d' % (3, n) }}", "'*' width")]
    [InlineData("{{ '\\N{BULLET}' }}", "\\N{name} string escape")]
    [InlineData("{{ strftime_now('%U') }}", "strftime directive '%U'")]
    [InlineData("{{ n is sameas 5 }}", "'is sameas' on numbers")]
    [InlineData("{{ 2 ** 64 }}", "beyond 64 bits")]
    [InlineData("{{ 99999999999999999999 }}", "beyond 64 bits")]
    [InlineData("{{ (-8) ** 0.5 }}", "complex result")]
    [InlineData("{{ xs[0:1, 1] }}", "slice outside a subscript")]
    public void Unimplemented_python_behaviours_are_refused_by_name(string template, string named) => AssertUnsupported(template, named);

    [Theory]
    [InlineData("{{ s.upper }}", "memory address")]
    [InlineData("{{ raise_exception }}", "memory address")]
    [InlineData("{{ xs | select }}", "memory address")]
    public void Printing_objects_python_shows_by_address_is_refused(string template, string named) => AssertUnsupported(template, named);

    [Theory]
    [InlineData("{{ s | shout }}", "No filter named 'shout'.")]
    [InlineData("{{ s is shouty }}", "No test named 'shouty'.")]
    [InlineData("{% do xs.append(1) %}", "Encountered unknown tag 'do'.")]
    [InlineData("{% trans %}hi{% endtrans %}", "Encountered unknown tag 'trans'.")]
    public void Names_jinja2_itself_does_not_know_are_syntax_errors_as_in_jinja2(string template, string message)
    {
        var error = Assert.Throws<ChatTemplateException>(() => new ChatTemplate(template));
        Assert.Equal(ChatTemplateErrorKind.Syntax, error.Kind);
        Assert.Contains(message, error.Message);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Mutating_methods_are_the_sandbox_error_jinja2_raises()
    {
        var error = Refusal("{{ xs.append(3) }}", "access to attribute 'append' of 'list' object is unsafe.");
        Assert.Equal(ChatTemplateErrorKind.Security, error.Kind);
    }
}
