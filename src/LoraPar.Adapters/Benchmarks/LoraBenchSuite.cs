using System.Diagnostics;
using LoraPar.Adapters.Masks;
using LoraPar.Core;
using LoraPar.Core.Benchmarks;
using LoraPar.Model.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Benchmarks;

/// <summary>
/// <c>lorapar bench lora</c>: masked AdamW step time and optimizer-state bytes on the LoRA tensors of LLaMA-2-7B
/// (hidden 4096, intermediate 11008, 32 layers, QKVGUD, r = 8: 17.9 M elements; <c>--quick</c> uses 1 layer) with 100% and
/// with 40% of the elements active (the paper's θ = 0.9 level). Both sides (and a dense torch AdamW for reference) step in the
/// same process, alternating, on the same gradients; times are medians. State bytes are the packed moments (m, v); the int32
/// positions of active elements the 40% side also keeps are reported as their own figures.
/// </summary>
public sealed class LoraBenchSuite : IBenchSuite
{
    public const string StateRatio = "optimizer_state_ratio";
    public const string StepRatio = "optimizer_step_ratio";

    public string Name => "lora";

    public string Description => "masked AdamW: optimizer state bytes and step time at 40% vs 100% active LoRA elements (LLaMA-2-7B QKVGUD shapes, r = 8)";

    /// <summary>The LoRA tensor shapes of <paramref name="layers"/> LLaMA-2-7B layers with QKVGUD targets and rank <paramref name="r"/>.</summary>
    public static IReadOnlyList<(string Key, long[] Shape)> Llama7BShapes(int layers, int r = 8)
    {
        const long hidden = 4096, intermediate = 11008;
        (string Name, long In, long Out)[] projections =
        [
            ("self_attn.q_proj", hidden, hidden), ("self_attn.k_proj", hidden, hidden), ("self_attn.v_proj", hidden, hidden),
            ("mlp.gate_proj", hidden, intermediate), ("mlp.up_proj", hidden, intermediate), ("mlp.down_proj", intermediate, hidden),
        ];
        return Enumerable.Range(0, layers).SelectMany(i => projections.SelectMany(p => new (string, long[])[]
        {
            ($"model.layers.{i}.{p.Name}.lora_A", [r, p.In]),   // (r, in)
            ($"model.layers.{i}.{p.Name}.lora_B", [p.Out, r]),  // (out, r)
        })).ToList();
    }

    public IReadOnlyList<BenchFigure> Run(BenchOptions options, Action<string> log, CancellationToken cancel)
    {
        var device = DeviceResolver.Resolve(ParseDevice(options.Device));
        var shapes = Llama7BShapes(options.Quick ? 1 : 32);
        var repetitions = options.Quick ? 3 : 15;
        using var generator = new Generator(1234, CPU);
        var full = MakeTensors(shapes, device, generator);
        var partial = MakeTensors(shapes, device, generator);
        var reference = MakeTensors(shapes, device, generator);
        using var allActive = LoraMaskSet.AllActive(full);
        using var randomMasks = LoraMaskSet.Random(partial, 0.4, seed: 5);
        using var fortyActive = randomMasks.To(device);
        log($"{shapes.Count} LoRA tensors, {allActive.TotalElements:N0} elements, device {device.type}; {fortyActive.TotalActive:N0} active at 40%");
        var adamW = new AdamWOptions { LearningRate = 1e-4, WeightDecay = 0.1 };
        using var optimizer100 = new MaskedAdamW(full, allActive, adamW);
        using var optimizer40 = new MaskedAdamW(partial, fortyActive, adamW);
        var dense = optim.AdamW(reference.Values, lr: 1e-4, weight_decay: 0.1);

        Action[] sides = [optimizer100.Step, optimizer40.Step, () => dense.step()];
        var times = sides.Select(_ => new List<double>()).ToArray();
        foreach (var side in sides) side();                                   // warm-up
        for (var rep = 0; rep < repetitions; rep++)
        {
            cancel.ThrowIfCancellationRequested();
            var order = rep % 2 == 0 ? new[] { 0, 1, 2 } : [2, 1, 0];          // alternate which side goes first
            foreach (var i in order) times[i].Add(TimeMs(sides[i], device));
        }
        var (ms100, ms40, msDense) = (Median(times[0]), Median(times[1]), Median(times[2]));
        log($"median step: 100% {ms100:F1} ms, 40% {ms40:F1} ms, dense torch AdamW {msDense:F1} ms; state {Mib(optimizer100.StateBytes):F1} MiB vs {Mib(optimizer40.StateBytes):F1} MiB");
        dense.Dispose();
        foreach (var t in full.Values.Concat(partial.Values).Concat(reference.Values)) t.Dispose();
        return
        [
            new(StateRatio, (double)optimizer40.StateBytes / optimizer100.StateBytes, "x", Better.Lower, 0.45),
            new(StepRatio, ms40 / ms100, "x", Better.Lower),
            new("optimizer_step_ms_active100", ms100, "ms", Better.Lower),
            new("optimizer_step_ms_active40", ms40, "ms", Better.Lower),
            new("dense_adamw_step_ms", msDense, "ms", Better.Lower),
            new("optimizer_state_mib_active100", Mib(optimizer100.StateBytes), "MiB", Better.Lower),
            new("optimizer_state_mib_active40", Mib(optimizer40.StateBytes), "MiB", Better.Lower),
            new("optimizer_positions_mib_active40", Mib(optimizer40.IndexBytes), "MiB", Better.Lower),
            new("optimizer_memory_ratio_with_positions", (double)(optimizer40.StateBytes + optimizer40.IndexBytes) / (optimizer100.StateBytes + optimizer100.IndexBytes), "x", Better.Lower),
        ];
    }

    private static Dictionary<string, Parameter> MakeTensors(IReadOnlyList<(string Key, long[] Shape)> shapes, Device device, Generator generator)
    {
        var result = new Dictionary<string, Parameter>();
        foreach (var (key, shape) in shapes)
        {
            using var value = randn(shape, generator: generator);
            using var grad = randn(shape, generator: generator);
            result[key] = new Parameter(value.to(device), requires_grad: true) { grad = grad.to(device) };
        }
        return result;
    }

    private static double TimeMs(Action step, Device device)
    {
        var watch = Stopwatch.StartNew();
        step();
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double Mib(long bytes) => bytes / (1024.0 * 1024.0);

    private static DeviceChoice ParseDevice(string text) =>
        Enum.TryParse<DeviceChoice>(text, ignoreCase: true, out var choice) && Enum.IsDefined(choice)
            ? choice
            : throw new BadInputException($"device '{text}': use auto, cpu or cuda");
}
