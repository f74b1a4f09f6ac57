using System;
using System.Threading;

namespace ModelDsl.Layers;

/// <summary>
/// Enforces "one call at a time" on one object: a second call from another thread while one is running throws
/// <see cref="ConcurrentUseException"/> naming both. A call made from inside the running one (same thread, e.g. from
/// an event handler) nests.
/// </summary>
internal sealed class OneCallAtATime(string owner)
{
    readonly object _gate = new();
    int _thread = -1;
    int _depth;
    string? _running;

    /// <summary>Starts <paramref name="operation"/>; dispose the result when it ends.</summary>
    /// <exception cref="ConcurrentUseException">Another thread is inside a call on the same object.</exception>
    public IDisposable Enter(string operation)
    {
        var current = Environment.CurrentManagedThreadId;
        lock (_gate)
        {
            if (_depth > 0 && _thread != current)
                throw new ConcurrentUseException(
                    $"{owner}.{operation} was called while {owner}.{_running} is running on another thread; {owner} runs one call at a time. "
                    + "Wait for the running call to return (or use one instance per thread).");
            if (_depth++ == 0)
            {
                _thread = current;
                _running = operation;
            }
        }
        return new ActionScope(Exit);
    }

    /// <summary>Whether a call is running now.</summary>
    public bool IsBusy
    {
        get { lock (_gate) return _depth > 0; }
    }

    void Exit()
    {
        lock (_gate)
        {
            if (--_depth > 0) return;
            _thread = -1;
            _running = null;
        }
    }
}
