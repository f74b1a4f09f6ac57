using System;
using System.Globalization;
using System.Text;

namespace ModelDsl.Chat.Jinja;

/// <summary>Python's <c>datetime.strftime</c> in the C locale (English names), for transformers' <c>strftime_now</c>.</summary>
internal static class PythonStrftime
{
    public static string Format(DateTime time, string format)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length) { sb.Append(format[i]); continue; }
            var code = format[++i];
            var unpadded = false;
            if (code == '-' && i + 1 < format.Length) { unpadded = true; code = format[++i]; }
            string Number(int value, int width) => unpadded ? value.ToString(c) : value.ToString(new string('0', width), c);
            sb.Append(code switch
            {
                'a' => time.ToString("ddd", c),
                'A' => time.ToString("dddd", c),
                'b' or 'h' => time.ToString("MMM", c),
                'B' => time.ToString("MMMM", c),
                'd' => Number(time.Day, 2),
                'e' => unpadded ? time.Day.ToString(c) : time.Day.ToString(c).PadLeft(2),
                'm' => Number(time.Month, 2),
                'y' => Number(time.Year % 100, 2),
                'Y' => time.Year.ToString(c),
                'H' => Number(time.Hour, 2),
                'I' => Number(time.Hour % 12 == 0 ? 12 : time.Hour % 12, 2),
                'M' => Number(time.Minute, 2),
                'S' => Number(time.Second, 2),
                'f' => (time.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", c),
                'p' => time.Hour < 12 ? "AM" : "PM",
                'j' => Number(time.DayOfYear, 3),
                'w' => ((int)time.DayOfWeek).ToString(c),
                'u' => (time.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)time.DayOfWeek).ToString(c),
                'D' => Format(time, "%m/%d/%y"),
                'F' => Format(time, "%Y-%m-%d"),
                'T' => Format(time, "%H:%M:%S"),
                'R' => Format(time, "%H:%M"),
                'x' => Format(time, "%m/%d/%y"),
                'X' => Format(time, "%H:%M:%S"),
                'c' => Format(time, "%a %b ") + time.Day.ToString(c).PadLeft(2) + Format(time, " %H:%M:%S %Y"),
                'z' or 'Z' => "",
                'n' => "\n",
                't' => "\t",
                '%' => "%",
                _ => throw JinjaException.Unsupported($"The strftime directive '%{code}'"),
            });
        }
        return sb.ToString();
    }
}
