using LoraPar.Core;
using LoraPar.Model.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Data;

/// <summary>One micro-batch as example indices: each row lists the examples concatenated in it (one unless packing).</summary>
public sealed record SftBatchPlan(IReadOnlyList<IReadOnlyList<int>> Rows);

/// <summary>A collated micro-batch, right-padded.</summary>
/// <param name="InputIds">(B, T) int64 token ids, padding at the right.</param>
/// <param name="Labels">(B, T) int64: token ids at response positions, −100 at prompt and padding positions.</param>
/// <param name="RealTokens">Non-padding tokens (for tokens/s).</param>
/// <param name="AnswerTokens">Response tokens the loss counts (labels ≠ −100 after the causal shift).</param>
public sealed record SftBatch(Tensor InputIds, Tensor Labels, long RealTokens, long AnswerTokens);

/// <summary>
/// Orders and groups examples into micro-batches. The order of an epoch is a pure function of (lengths, options, seed,
/// epoch), so a resumed run needs only its step counter to see the same batches. Right padding needs no attention mask:
/// under the causal mask a real token never sees the padding after it, and padding positions carry no label.
/// </summary>
public static class SftBatcher
{
    /// <summary>The micro-batches of epoch <paramref name="epoch"/> over examples of the given <paramref name="lengths"/>.</summary>
    public static IReadOnlyList<SftBatchPlan> Plan(IReadOnlyList<int> lengths, BatchingOptions options, long seed, int epoch)
    {
        var random = DeterministicRandom.ForStream(seed, epoch);
        var order = random.Shuffle(Enumerable.Range(0, lengths.Count));
        if (options.Packing) return Batches(Pack(order, lengths, options.MaxLength), options.BatchSize);
        if (!options.GroupByLength || options.BatchSize == 1) return Batches(order.Select(i => (IReadOnlyList<int>)[i]).ToList(), options.BatchSize);
        return random.Shuffle(Batches(GroupByLength(order, lengths, options).Select(i => (IReadOnlyList<int>)[i]).ToList(), options.BatchSize));
    }

    /// <summary>Number of micro-batches <see cref="Plan"/> gives per epoch (the same for every epoch).</summary>
    public static int BatchesPerEpoch(IReadOnlyList<int> lengths, BatchingOptions options, long seed) =>
        options.Packing ? Plan(lengths, options, seed, 0).Count : (lengths.Count + options.BatchSize - 1) / options.BatchSize;

    /// <summary>Collates the rows of <paramref name="plan"/> into right-padded tensors on <paramref name="device"/>.</summary>
    public static SftBatch Collate(IReadOnlyList<AnswerExample> examples, SftBatchPlan plan, int padId, Device device)
    {
        var rows = plan.Rows.Select(row => Concatenate(examples, row)).ToList();
        var width = rows.Max(r => r.Ids.Count);
        var ids = new long[rows.Count * width];
        var labels = new long[rows.Count * width];
        long real = 0, answer = 0;
        for (var b = 0; b < rows.Count; b++)
        {
            var (rowIds, rowLabels) = rows[b];
            for (var t = 0; t < width; t++)
            {
                ids[b * width + t] = t < rowIds.Count ? rowIds[t] : padId;
                labels[b * width + t] = t < rowLabels.Length ? rowLabels[t] : AnswerOnlyLoss.IgnoreIndex;
                if (t > 0 && labels[b * width + t] != AnswerOnlyLoss.IgnoreIndex) answer++;
            }
            real += rowIds.Count;
        }
        var inputIds = tensor(ids, [rows.Count, width], ScalarType.Int64).to(device);          // (B, T)
        var labelTensor = tensor(labels, [rows.Count, width], ScalarType.Int64).to(device);     // (B, T)
        return new SftBatch(inputIds, labelTensor, real, answer);
    }

    /// <summary>Response tokens <see cref="Collate"/> would count for <paramref name="plan"/>, without building tensors.</summary>
    public static long AnswerTokens(IReadOnlyList<AnswerExample> examples, SftBatchPlan plan) =>
        plan.Rows.Sum(row => Concatenate(examples, row).Labels.Skip(1).LongCount(l => l != AnswerOnlyLoss.IgnoreIndex));

    private static (IReadOnlyList<int> Ids, long[] Labels) Concatenate(IReadOnlyList<AnswerExample> examples, IReadOnlyList<int> row)
    {
        var ids = new List<int>();
        var labels = new List<long>();
        foreach (var index in row)
        {
            var example = examples[index];
            IReadOnlyList<int> sequence = [.. example.PromptIds, .. example.ResponseIds];
            labels.AddRange(AnswerOnlyLoss.Labels(sequence, example.PromptIds.Count, example.ResponseIds.Count, 0));
            ids.AddRange(sequence);
        }
        return (ids, labels.ToArray());
    }

    /// <summary>
    /// Hugging Face's length grouping: mega-batches of the shuffled order, each sorted longest first (stable, so ties keep
    /// the shuffled order). <see cref="Plan"/> then shuffles the micro-batches, so an epoch does not run from long to short.
    /// </summary>
    private static List<int> GroupByLength(List<int> order, IReadOnlyList<int> lengths, BatchingOptions options)
    {
        var mega = options.BatchSize * options.MegaBatchMultiplier;
        return order.Chunk(mega).SelectMany(chunk => chunk.OrderByDescending(i => lengths[i])).ToList();
    }

    /// <summary>Fills rows in order, starting a new row when the next example does not fit in <paramref name="maxLength"/>.</summary>
    private static List<IReadOnlyList<int>> Pack(List<int> order, IReadOnlyList<int> lengths, int maxLength)
    {
        var rows = new List<IReadOnlyList<int>>();
        var current = new List<int>();
        var used = 0;
        foreach (var index in order)
        {
            if (current.Count > 0 && used + lengths[index] > maxLength)
            {
                rows.Add(current);
                current = [];
                used = 0;
            }
            current.Add(index);
            used += lengths[index];
        }
        if (current.Count > 0) rows.Add(current);
        return rows;
    }

    private static List<SftBatchPlan> Batches(List<IReadOnlyList<int>> rows, int batchSize) =>
        rows.Chunk(batchSize).Select(chunk => new SftBatchPlan(chunk)).ToList();
}
