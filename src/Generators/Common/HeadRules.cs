using System;
using System.Collections.Generic;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.Generators.Common;

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

    static int NearestDivisor(int value, int near) => ModelDsl.Families.FamilyRules.NearestDivisor(value, near);
}
