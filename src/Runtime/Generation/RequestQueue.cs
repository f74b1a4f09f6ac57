using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Tokenizers;
using ModelDsl.Models;

namespace ModelDsl.Generation;

/// <summary>
/// The one queue of generation requests for a model. Every <see cref="TextGenerator"/> (and so every client) over the
/// model submits here; one worker thread at a time takes the waiting requests that can share a batch and decodes them
/// together, then the next ones. The worker starts when a request arrives and ends when the queue is empty.
/// </summary>
/// <remarks>
/// Requests share a batch when they pick tokens the same way (see <see cref="CanShare"/>); stop sequences and token
/// budgets stay per request. A request sampled with a fixed seed is decoded on its own, because the random draws of a
/// batch depend on its rows and the seed promises the same answer every time. A cancelled request leaves the queue at
/// once, or its rows leave the batch at the next step.
/// </remarks>
internal sealed class RequestQueue
{
    static readonly ConditionalWeakTable<ICausalLanguageModel, RequestQueue> Queues = new();

    readonly ICausalLanguageModel _model;
    readonly object _gate = new();
    readonly List<Request> _waiting = [];
    bool _working;
    int _lastBatchRows;
    long _lastArrival;   // Stopwatch timestamp of the latest request

    /// <summary>Longest a batch waits for a burst of arrivals to end, in gather windows.</summary>
    const int BurstWindows = 5;

    RequestQueue(ICausalLanguageModel model) => _model = model;

    /// <summary>The queue of <paramref name="model"/>.</summary>
    public static RequestQueue For(ICausalLanguageModel model) => Queues.GetValue(model, m => new RequestQueue(m));

    /// <summary>How requests are batched; replaced whole, read once per batch.</summary>
    public BatchingOptions Batching { get; set; } = new();

    /// <summary>Queues <paramref name="rows"/> (already validated) and returns their results, in order.</summary>
    public Task<GeneratedText[]> Submit(Tokenizer tokenizer, int padTokenId, IReadOnlyList<BatchDecode.Row> rows, GenerationOptions options,
        CancellationToken cancellationToken)
    {
        var request = new Request(tokenizer, padTokenId, rows, options, cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            request.Completion.TrySetCanceled(cancellationToken);
            return request.Completion.Task;
        }
        request.Registration = cancellationToken.Register(() => Cancel(request));
        lock (_gate)
        {
            _waiting.Add(request);
            _lastArrival = Stopwatch.GetTimestamp();
            Monitor.PulseAll(_gate);
            if (!_working)
            {
                _working = true;
                Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
        }
        return request.Completion.Task;
    }

    void Cancel(Request request)
    {
        lock (_gate) _waiting.Remove(request);
        request.Completion.TrySetCanceled(request.CancellationToken);
    }

    void Work()
    {
        while (true)
        {
            List<Request> batch;
            lock (_gate)
            {
                Gather();
                if (_waiting.Count == 0)
                {
                    _working = false;
                    return;
                }
                batch = Take();
                _lastBatchRows = batch.Sum(r => r.Rows.Count);
            }
            Decode(batch);
        }
    }

    // Holds the lock; Monitor.Wait releases it while waiting.
    void Gather()
    {
        var (maxRows, window) = (Batching.MaxBatchRows, Batching.GatherWindow);
        // Before the first batch nothing says how many callers there are: gather for the window then too.
        var expected = _lastBatchRows == 0 ? maxRows : Math.Min(_lastBatchRows, maxRows);
        var clock = Stopwatch.StartNew();
        while (_waiting.Count > 0 && WaitingRows() < maxRows)
        {
            // Wait one window for the last batch's callers to ask again, and while requests keep arriving (new callers
            // starting together: taking the first two alone would split them into two batches), a few windows at most.
            var forCallers = WaitingRows() < expected ? window - clock.Elapsed : TimeSpan.Zero;
            var forBurst = window - Stopwatch.GetElapsedTime(_lastArrival);
            var left = forCallers > forBurst ? forCallers : forBurst;
            if (left > window * BurstWindows - clock.Elapsed) left = window * BurstWindows - clock.Elapsed;
            if (left <= TimeSpan.Zero) break;
            Monitor.Wait(_gate, left);
        }
    }

    int WaitingRows() => _waiting.Sum(r => r.Rows.Count);

    // The oldest request, and after it every waiting request that can share its batch while rows remain.
    List<Request> Take()
    {
        var maxRows = Batching.MaxBatchRows;
        var first = _waiting[0];
        var batch = new List<Request> { first };
        var rows = first.Rows.Count;
        foreach (var other in _waiting.Skip(1))
            if (rows + other.Rows.Count <= maxRows && CanShare(first, other))
            {
                batch.Add(other);
                rows += other.Rows.Count;
            }
        foreach (var taken in batch) _waiting.Remove(taken);
        return batch;
    }

    /// <summary>Whether two requests pick tokens the same way, so one batch gives each what it would get alone.</summary>
    static bool CanShare(Request a, Request b)
    {
        GenerationOptions x = a.Options, y = b.Options;
        return ReferenceEquals(a.Tokenizer, b.Tokenizer) && a.PadTokenId == b.PadTokenId
               && x.Temperature == y.Temperature && x.TopK == y.TopK && x.TopP == y.TopP
               && (x.IsGreedy || (x.Seed is null && y.Seed is null))
               && x.UseCache == y.UseCache
               && ReferenceEquals(x.ResponseConstraint, y.ResponseConstraint)
               && x.EndOfSequenceTokenId == y.EndOfSequenceTokenId
               && x.EndOfSequenceTokenIds.SequenceEqual(y.EndOfSequenceTokenIds);
    }

    void Decode(List<Request> batch)
    {
        var rows = batch.SelectMany(r => r.Rows).ToArray();
        var owner = batch.SelectMany(r => r.Rows.Select(_ => r)).ToArray();
        try
        {
            var first = batch[0];
            var results = BatchDecode.Run(_model, first.Tokenizer, first.PadTokenId, rows, first.Options,
                abandoned: i => owner[i].Completion.Task.IsCompleted);
            var offset = 0;
            foreach (var request in batch)
            {
                var mine = results.Skip(offset).Take(request.Rows.Count).ToArray();
                offset += request.Rows.Count;
                if (mine.All(r => r is not null)) request.Completion.TrySetResult(mine!);
            }
        }
        catch (Exception e)
        {
            foreach (var request in batch) request.Completion.TrySetException(e);
        }
        finally
        {
            foreach (var request in batch) request.Registration.Dispose();
        }
    }

    sealed class Request(Tokenizer tokenizer, int padTokenId, IReadOnlyList<BatchDecode.Row> rows, GenerationOptions options, CancellationToken cancellationToken)
    {
        public Tokenizer Tokenizer { get; } = tokenizer;
        public int PadTokenId { get; } = padTokenId;
        public IReadOnlyList<BatchDecode.Row> Rows { get; } = rows;
        public GenerationOptions Options { get; } = options;
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public TaskCompletionSource<GeneratedText[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenRegistration Registration { get; set; }
    }
}
