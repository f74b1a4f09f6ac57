using System;
using System.Globalization;
using System.IO;

namespace ModelDsl.CrashChild;

/// <summary>
/// A process for the crash tests in <c>tests/ModelDsl.Tests/Hardening</c> to kill at any moment:
/// <c>ModelDsl.CrashChild train &lt;run directory&gt; fresh|resume|resume-older|overwrite</c> trains (see <see cref="TrainingRun"/>);
/// <c>ModelDsl.CrashChild save-loop &lt;directory&gt; &lt;seed A&gt; &lt;seed B&gt;</c> saves two models in turn (see <see cref="SaveLoop"/>);
/// <c>ModelDsl.CrashChild cli &lt;arguments&gt;</c> runs the command line (see <see cref="CommandLineRun"/>).
/// </summary>
public static class Program
{
    /// <summary>Runs the child; returns 0 on success, 2 on a usage error, 3 when training refused the folder.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 3 && args[0] == "train" && TrainingRun.IsMode(args[2]))
            return TrainingRun.Run(Path.GetFullPath(args[1]), args[2]);
        if (args.Length >= 1 && args[0] == "cli") return CommandLineRun.Run(args[1..]);
        if (args.Length == 4 && args[0] == "save-loop")
            return SaveLoop.Run(Path.GetFullPath(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
        Console.Error.WriteLine("usage: ModelDsl.CrashChild train <run directory> fresh|resume|resume-older|overwrite | save-loop <directory> <seed A> <seed B> | cli <arguments>");
        return 2;
    }
}
