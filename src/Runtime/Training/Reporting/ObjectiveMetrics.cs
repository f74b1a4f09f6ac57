using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ModelDsl.Training.Reporting;

/// <summary>How an objective's own metrics read in progress lines: <c>  name value</c> for each, in the objective's order.</summary>
static class ObjectiveMetrics
{
    public static string Text(IReadOnlyDictionary<string, double>? metrics) => metrics is null ? ""
        : string.Concat(metrics.Select(m => string.Format(CultureInfo.InvariantCulture, "  {0} {1:F4}", m.Key, m.Value)));
}
