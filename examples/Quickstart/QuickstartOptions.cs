using System;
using System.IO;

namespace Quickstart;

/// <summary>The budget of one run; <see cref="Fast"/> is the reduced one that <c>--check</c> and the tests use.</summary>
public sealed record QuickstartOptions
{
    public int Seed { get; init; } = 1;
    public bool IsFast { get; init; }
    public int PretrainDocuments { get; init; } = 4000;
    public int PretrainSteps { get; init; } = 2000;
    public int FineTuneSteps { get; init; } = 400;
    public int TrainExamples { get; init; } = 400;
    public int EvalExamples { get; init; } = 120;
    public int BaseSkillDocuments { get; init; } = 120;
    public int FewShot { get; init; } = 6;
    public string OutputDir { get; init; } = DefaultOutputDir(1, fast: false);

    /// <summary>The reduced run: fewer steps and smaller evaluation sets.</summary>
    public static QuickstartOptions Fast(int seed, string? outputDir = null) => new()
    {
        Seed = seed, IsFast = true, PretrainDocuments = 3000, PretrainSteps = 1200, FineTuneSteps = 300,
        TrainExamples = 200, EvalExamples = 60, BaseSkillDocuments = 60,
        OutputDir = outputDir ?? DefaultOutputDir(seed, fast: true),
    };

    public static QuickstartOptions Full(int seed, string? outputDir = null) => new()
    {
        Seed = seed, OutputDir = outputDir ?? DefaultOutputDir(seed, fast: false),
    };

    /// <summary><c>artifacts/quickstart/seed-N</c> under the repository when run from it, else under the temp folder.</summary>
    public static string DefaultOutputDir(int seed, bool fast)
    {
        var name = $"seed-{seed}{(fast ? "-fast" : "")}";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ModelDsl.sln")))
                return Path.Combine(dir.FullName, "artifacts", "quickstart", name);
        return Path.Combine(Path.GetTempPath(), "modeldsl-quickstart", name);
    }
}
