using LoraPar.Core;

namespace LoraPar.Evaluation.Runs;

/// <summary>
/// Runs an evaluation in batches over the examples that have no result yet, appending each result to a
/// <see cref="ResultLog{T}"/> as soon as its batch is done, and reporting progress after every batch.
/// </summary>
public static class BatchedRun
{
    /// <summary>
    /// The results of all <paramref name="items"/>, in their order: those already in <paramref name="log"/> are reused,
    /// the others are computed by <paramref name="process"/> in batches of <paramref name="batchSize"/>.
    /// </summary>
    /// <param name="process">Maps a batch of items to one result per item, in order; each result's id must be its item's id.</param>
    public static IReadOnlyList<TResult> Run<TItem, TResult>(
        IReadOnlyList<TItem> items,
        Func<TItem, string> idOf,
        ResultLog<TResult> log,
        int batchSize,
        Func<IReadOnlyList<TItem>, IReadOnlyList<TResult>> process,
        IProgress<EvalProgress>? progress = null,
        CancellationToken cancel = default)
        where TResult : IEvalRecord
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var ids = items.Select(idOf).ToList();
        var duplicate = ids.GroupBy(i => i, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new BadInputException($"{log.Path}: example id '{duplicate.Key}' occurs more than once; results are resumed by id, so ids must be unique");

        var existing = log.Records;
        var pending = items.Where((_, i) => !existing.ContainsKey(ids[i])).ToList();
        var resumed = items.Count - pending.Count;
        progress?.Report(new EvalProgress(resumed, items.Count, resumed));
        var done = resumed;
        foreach (var batch in pending.Chunk(batchSize))
        {
            cancel.ThrowIfCancellationRequested();
            var results = process(batch);
            if (results.Count != batch.Length)
                throw new InvalidOperationException($"a batch of {batch.Length} items gave {results.Count} results");
            for (var i = 0; i < batch.Length; i++)
            {
                var expected = idOf(batch[i]);
                if (results[i].Id != expected)
                    throw new InvalidOperationException($"result '{results[i].Id}' came back for item '{expected}'");
                log.Append(results[i]);
            }
            done += batch.Length;
            progress?.Report(new EvalProgress(done, items.Count, resumed));
        }
        var all = log.Records;
        return ids.Select(id => all[id]).ToList();
    }
}
