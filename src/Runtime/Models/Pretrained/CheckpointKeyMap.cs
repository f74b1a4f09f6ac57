using System;
using System.Collections.Generic;

namespace ModelDsl.Models;

/// <summary>
/// How a family's checkpoint keys relate to its state-dict names: a rename (e.g. GPT-2 hub files without the
/// <c>transformer.</c> prefix), keys to skip (buffers older files stored), and tied copies that must equal the
/// weight they are tied to.
/// </summary>
/// <param name="ToModelKey">File key → state-dict key, or null to skip the key (a buffer, not a weight).</param>
/// <param name="TiedCopies">File key of a tied copy (e.g. <c>lm_head.weight</c>) → state-dict key of the weight it shares.</param>
internal sealed record CheckpointKeyMap(Func<string, string?> ToModelKey, IReadOnlyDictionary<string, string> TiedCopies);
