using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ModelDsl.Generation;
using Xunit;

namespace ModelDsl.Tests.Generation;

/// <summary>Streaming yields the same text piece by piece, respects stop sequences, and stops on cancellation.</summary>
public sealed class StreamingTests
{
    const string Prompt = "The weather today is";

    [Fact]
    public async Task Streamed_pieces_concatenate_to_the_generated_text()
    {
        using var model = GenerationModels.NewGpt2(seed: 51);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var options = new GenerationOptions { MaxNewTokens = 15 };
        var pieces = new List<string>();
        await foreach (var piece in generator.StreamAsync(Prompt, options)) pieces.Add(piece);
        Assert.True(pieces.Count > 1, "streaming produced a single piece");
        Assert.Equal(generator.Generate(Prompt, options).Text, string.Concat(pieces));
    }

    [Fact]
    public async Task Streaming_holds_back_and_cuts_at_a_stop_sequence()
    {
        using var model = GenerationModels.NewGpt2(seed: 52);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var free = generator.Generate(Prompt, new GenerationOptions { MaxNewTokens = 15 });
        var stop = GenerationModels.Tokenizer.Decode([free.TokenIds[4]]);
        var options = new GenerationOptions { MaxNewTokens = 15, StopSequences = [stop] };
        var streamed = "";
        await foreach (var piece in generator.StreamAsync(Prompt, options)) streamed += piece;
        Assert.Equal(generator.Generate(Prompt, options).Text, streamed);
        Assert.DoesNotContain(stop, streamed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_stops_the_stream()
    {
        using var model = GenerationModels.NewGpt2(seed: 53);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        using var cancellation = new CancellationTokenSource();
        var pieces = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in generator.StreamAsync(Prompt, new GenerationOptions { MaxNewTokens = 40 }, cancellation.Token))
            {
                pieces++;
                cancellation.Cancel();
            }
        });
        Assert.Equal(1, pieces);
    }

    [Fact]
    public void A_cancelled_token_stops_batch_generation()
    {
        using var model = GenerationModels.NewGpt2(seed: 54);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => generator.Generate([Prompt, "Hello"], new GenerationOptions(), cancellation.Token));
    }
}
