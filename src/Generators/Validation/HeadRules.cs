using System.Collections.Generic;
using ModelDsl.Generators.Model;

namespace ModelDsl.Generators.Validation;

/// <summary>Attention head arithmetic shared by custom layers and the model families.</summary>
internal static class HeadRules
{
    public static void Check(List<Finding> findings, string? member, int dim, int heads, int kvHeads, string dimArgument, string headsArgument)
    {
        string subject = member is null ? "" : $" of '{member}'";
        if (heads >= 1 && dim >= 1 && dim % heads != 0)
            findings.Add(new Finding(DiagnosticIds.HeadsDoNotDivideWidth,
                $"{headsArgument} = {heads}{subject} must divide {dimArgument} = {dim}; try {NearestDivisor(dim, heads)}.",
                member, headsArgument));
        if (kvHeads >= 1 && heads >= 1 && heads % kvHeads != 0)
            findings.Add(new Finding(DiagnosticIds.KvHeadsDoNotDivideHeads,
                $"KvHeads = {kvHeads}{subject} must divide {headsArgument} = {heads}; try {NearestDivisor(heads, kvHeads)}.",
                member, "KvHeads"));
    }

    static int NearestDivisor(int value, int near)
    {
        for (int distance = 0; distance <= value; distance++)
        {
            if (near - distance >= 1 && value % (near - distance) == 0) return near - distance;
            if (near + distance <= value && value % (near + distance) == 0) return near + distance;
        }
        return 1;
    }
}
