using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>
/// The estimator ablation's selection rule: the paper's θ cut fixes how many elements of each LoRA tensor a system keeps,
/// and another estimator keeps that many of the tensor's elements — its top-scoring ones (ties to the lower flat index, as
/// in <see cref="CumulativeCut"/>). So every estimator activates exactly the same count per tensor and only the choice
/// within a tensor differs. Pure functions over flat (n,) tensors in <see cref="LoraLayout"/> order.
/// </summary>
public static class EqualCountSelection
{
    /// <summary>
    /// A bool (n,) mask with, in every segment of <paramref name="layout"/>, as many elements as <paramref name="reference"/>
    /// (bool (n,)) holds there: the top ones by <paramref name="scores"/> (n,).
    /// </summary>
    public static Tensor Select(Tensor reference, Tensor scores, LoraLayout layout)
    {
        if (reference.shape[0] != layout.TotalElements || scores.shape[0] != layout.TotalElements)
            throw new ArgumentException($"expected ({layout.TotalElements},) masks and scores", nameof(scores));
        using var scope = NewDisposeScope();
        var picks = layout.Segments.Select(s =>
        {
            var take = reference.narrow(0, s.Offset, s.Count).sum().item<long>();
            var order = CumulativeCut.DescendingOrder(scores.narrow(0, s.Offset, s.Count).to(ScalarType.Float64));   // (count,)
            return order.narrow(0, 0, take).Plus(s.Offset);   // (take,) flat indices
        }).ToArray();
        return CumulativeCut.MaskOf(layout.TotalElements, cat(picks, 0).to(reference.device)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Algorithm 1 with another estimator's flat scores <paramref name="estimator1"/>, <paramref name="estimator2"/> (n,): S1 and S2
    /// hold, per tensor, as many elements as the paper's θ cuts of <paramref name="system1"/>, <paramref name="system2"/>, chosen by
    /// the estimator, which also ranks the shared set for α and β.
    /// </summary>
    public static PartitionSets Partition(ImportanceRanking system1, ImportanceRanking system2, Tensor estimator1, Tensor estimator2,
        LoraLayout layout, double theta, double alpha, double beta)
    {
        using var scope = NewDisposeScope();
        var s1 = Select(system1.Select(theta), estimator1, layout);   // (n,) bool
        var s2 = Select(system2.Select(theta), estimator2, layout);   // (n,) bool
        var orders = (CumulativeCut.DescendingOrder(estimator1.to(ScalarType.Float64)), CumulativeCut.DescendingOrder(estimator2.to(ScalarType.Float64)));
        return ImportanceSelection.FromSets(s1, s2, orders.Item1, orders.Item2, alpha, beta);
    }
}
