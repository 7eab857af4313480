using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Planning;

/// <summary>What <c>lorapar plan</c> (and <c>run</c>'s check) plans for.</summary>
/// <param name="DeviceMemory">The device's memory, e.g. <c>80GiB</c> (null: the machine's RAM on the CPU, <c>nvidia-smi</c>'s figure on CUDA).</param>
/// <param name="DeviceFlops">Sustained FLOP/s (null: <see cref="PlanDevice"/>'s assumption).</param>
/// <param name="DeviceBandwidth">Memory bandwidth in bytes/s (null: assumed).</param>
/// <param name="ModelConfig">A config.json for a checkpoint that is not on this machine.</param>
public sealed record PlanOptions(string? DeviceMemory = null, double? DeviceFlops = null, double? DeviceBandwidth = null, string? ModelConfig = null);

/// <summary>Builds the resource plans of a pipeline plan's runs; runs with equal plans (e.g. a sweep over θ) share one.</summary>
public static class ResourcePlanner
{
    /// <summary>The plans of <paramref name="dag"/>'s runs.</summary>
    public static IReadOnlyList<ResourcePlan> Plan(PipelinePlan dag, PlanOptions options)
    {
        var manifest = dag.Manifest;
        var cuda = manifest.Device == DeviceChoice.Cuda || manifest.Device == DeviceChoice.Auto && TorchBuild.Cuda;
        var memory = options.DeviceMemory is { } text ? ByteSize.Parse(text, "--device-memory")
            : cuda ? GpuMemoryQuery.FirstGpu() : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var device = PlanDevice.Of(cuda, memory, options.DeviceFlops, options.DeviceBandwidth);
        var plans = new List<ResourcePlan>();
        foreach (var variant in dag.Variants)
        {
            var shape = PlanShape.Of(variant.Manifest, cuda, options.ModelConfig);
            var plan = ResourcePlan.Build([variant.Name], variant.Manifest, dag.NodesOf(variant.Name).Select(n => n.Kind), shape, device);
            var same = plans.FindIndex(p => p.Stages.SequenceEqual(plan.Stages) && p.Shape.Parameters == shape.Parameters);
            if (same < 0) plans.Add(plan);
            else plans[same] = plans[same] with { Runs = [.. plans[same].Runs, variant.Name] };
        }
        return plans;
    }
}
