using System.IO;
using System.Text.Json;
using ModelDsl.IO;
using ModelDsl.Models;

namespace ModelDsl.Training.Checkpoints;

/// <summary>
/// <c>run.json</c> in a checkpoint folder: the run that owns the folder (<c>{"run_id": "…"}</c>). A trainer writes it
/// before its first checkpoint; pruning, "newest checkpoint" and resuming only consider that run's checkpoints.
/// </summary>
internal static class RunMarker
{
    public const string FileName = "run.json";

    /// <summary>The owning run of <paramref name="folder"/>, or <see langword="null"/> when it has no marker.</summary>
    /// <exception cref="CheckpointException">The marker is not a run marker.</exception>
    public static string? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        var text = BoundedFile.ReadAllText(path, BoundedFile.JsonConfigBytes,
            length => new CheckpointException(BoundedFile.TooLarge(path, length, BoundedFile.JsonConfigBytes, "a run marker") + "."));
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("run_id", out var id) && id.ValueKind == JsonValueKind.String
                && id.GetString() is { Length: > 0 } runId)
                return runId;
        }
        catch (JsonException) { }
        catch (System.InvalidOperationException) { } // an escaped lone surrogate
        throw new CheckpointException(
            $"'{path}' is not a run marker (expected {{\"run_id\": \"…\"}}); delete it if the folder holds no checkpoints you need, or use another folder.");
    }

    /// <summary>Records <paramref name="runId"/> as the owner of <paramref name="folder"/> (atomically).</summary>
    public static void Write(string folder, string runId) =>
        AtomicFile.Write(Path.Combine(folder, FileName), stream =>
        {
            using var writer = new Utf8JsonWriter(stream);
            writer.WriteStartObject();
            writer.WriteString("run_id", runId);
            writer.WriteEndObject();
        });

    /// <summary>
    /// The <c>RunId</c> recorded in a <c>trainer_state.json</c>, read from the start of the file only (it is written
    /// second, after <c>Version</c>); empty for checkpoints older than run ids or when it cannot be found.
    /// </summary>
    public static string RunIdOf(string stateFile)
    {
        try
        {
            using var stream = File.OpenRead(stateFile);
            var buffer = new byte[(int)System.Math.Min(stream.Length, 64 * 1024)];
            stream.ReadExactly(buffer);
            var reader = new Utf8JsonReader(buffer, isFinalBlock: buffer.Length == stream.Length, state: default);
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
                var isRunId = reader.ValueTextEquals("RunId"u8);
                if (!reader.Read()) break;
                if (isRunId) return reader.TokenType == JsonTokenType.String ? reader.GetString() ?? "" : "";
                if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject) break; // RunId comes before any list
            }
        }
        catch (JsonException) { }
        catch (IOException) { }
        catch (System.InvalidOperationException) { }
        catch (System.UnauthorizedAccessException) { }
        return "";
    }
}
