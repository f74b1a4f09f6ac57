namespace ModelDsl.Chat.Jinja;

/// <summary>Python's <c>range</c> object (what the <c>range()</c> global returns): lazy, sized, indexable.</summary>
internal sealed record PyRange(long Start, long Stop, long Step)
{
    public long Length =>
        Step > 0 ? (Stop > Start ? (Stop - Start + Step - 1) / Step : 0)
                 : (Start > Stop ? (Start - Stop - Step - 1) / -Step : 0);

    public long this[long index] => Start + index * Step;

    public override string ToString() => Step == 1 ? $"range({Start}, {Stop})" : $"range({Start}, {Stop}, {Step})";
}
