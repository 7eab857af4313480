using LoraPar.Adapters;
using LoraPar.Model.Llama;
using LoraPar.Model.Objectives;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Planning;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LoraPar.Pipeline.Tests.Planning;

/// <summary>
/// Gradient checkpointing's memory saving measured on the CPU: the growth of peak resident memory (VmHWM, reset through
/// <c>/proc/self/clear_refs</c>, the heap trimmed first because glibc keeps freed pages) over one LoRA training
/// forward + backward at 4 layers, d = 256, 8 × 256 tokens, with and without recomputation; printed beside the
/// activation model's prediction. At this shape a forward's transient workspace (≈ 320 MiB measured, also without grad)
/// is larger than the activations, so only the saving is asserted, not the ratio to the prediction.
/// </summary>
[Collection(GlobalRngCollection.Name)]
public sealed class ActivationMeasurementTests(ITestOutputHelper output)
{
    private const int Rows = 8, Tokens = 256;

    [Fact]
    public void Recomputing_layers_lowers_the_peak_memory_of_a_training_step()
    {
        TorchRuntime.EnsureInitialized();
        var config = TinyModelFactory.Config(vocabSize: 256, hidden: 256, layers: 4, heads: 4, kvHeads: 4, maxPositions: 512);
        using var model = TinyModelFactory.Create(config, seed: 3);
        var lora = new LoraConfig { R = 8, Alpha = 16, Dropout = 0, Targets = LoraTargets.Qkvgud };
        LoraInjector.Inject(model, lora, 4);
        var shape = new PlanShape(config, 4, 4, lora.R, LoraTargets.Qkvgud.ShortNames);
        using var ids = torch.randint(3, 256, [Rows, Tokens], dtype: ScalarType.Int64);
        var peaks = new Dictionary<bool, double>();
        foreach (var recompute in new[] { false, true, false, true })
            using (LayerCheckpoint.During(model, recompute))
                peaks[recompute] = PeakGrowth(model, ids);                             // the second round is the one kept
        foreach (var (recompute, peak) in peaks)
            output.WriteLine($"recompute {recompute}: peak growth {peak / (1 << 20):0.0} MiB; predicted activations "
                + $"{ActivationModel.Pass(shape, Rows, Tokens, lora: true, 0, recompute) / (1 << 20):0.0} MiB");
        Assert.True(peaks[true] < peaks[false], $"recomputation did not lower the peak: {peaks[true]:0} vs {peaks[false]:0} bytes");
    }

    /// <summary>Growth of peak RSS over one forward and backward.</summary>
    private static double PeakGrowth(LlamaForCausalLM model, Tensor ids)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        malloc_trim(0);
        File.WriteAllText("/proc/self/clear_refs", "5");                              // VmHWM := VmRSS
        var before = Status("VmRSS:");
        using (var scope = NewDisposeScope())
            AnswerOnlyLoss.PerExample(model.call(ids), ids).sum().backward();
        return Status("VmHWM:") - before;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int malloc_trim(nuint pad);

    private static double Status(string field) =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith(field, StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024).Single();
}
