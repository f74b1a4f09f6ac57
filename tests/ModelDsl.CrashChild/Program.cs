using System;
using System.Globalization;
using System.IO;

namespace ModelDsl.CrashChild;

/// <summary>
/// A process for the crash tests in <c>tests/ModelDsl.Tests/Hardening</c> to kill at any moment:
/// <c>ModelDsl.CrashChild &lt;run directory&gt;</c> trains (see <see cref="TrainingRun"/>);
/// <c>ModelDsl.CrashChild save-loop &lt;directory&gt; &lt;seed A&gt; &lt;seed B&gt;</c> saves two models in turn (see <see cref="SaveLoop"/>).
/// </summary>
public static class Program
{
    /// <summary>Runs the child; returns 0 on success, 2 on a usage error.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 1) return TrainingRun.Run(Path.GetFullPath(args[0]));
        if (args.Length == 4 && args[0] == "save-loop")
            return SaveLoop.Run(Path.GetFullPath(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
        Console.Error.WriteLine("usage: ModelDsl.CrashChild <run directory> | save-loop <directory> <seed A> <seed B>");
        return 2;
    }
}
