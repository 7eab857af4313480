using LoraPar.Method.Importance;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages;
using static TorchSharp.torch;

namespace LoraPar.Pipeline.Tests.Stages.Masks;

/// <summary>
/// Stands in for the real <c>scores</c> stage: writes importance.safetensors for a 2-layer QKVGUD adapter (d = 8, MLP 12, rank
/// <c>lora.r</c>) from a fixed integer formula (no RNG), System 1 weighted towards attention and System 2 towards the MLP.
/// With <see cref="AllZero"/> it writes zeros (an adapter that was never scored, as plain LoRA may have).
/// </summary>
internal sealed class SyntheticScoresStage : IStage
{
    private const int Hidden = 8;
    private const int Intermediate = 12;

    public bool AllZero { get; init; }

    public string Kind => StageKinds.Scores;

    public int Version => 1;

    public StageDeclaration? Declare(PipelineManifest manifest) => new([], ["lora.r", "seed"]);

    public void Execute(StageContext context)
    {
        TorchRuntime.EnsureInitialized();
        var shapes = Shapes(context.Manifest.Lora.R);
        var (s1, s2) = (new Dictionary<string, Tensor>(), new Dictionary<string, Tensor>());
        var offset = 0;
        foreach (var (name, shape) in shapes)
        {
            var count = (int)(shape[0] * shape[1]);
            var attention = name.Contains("self_attn", StringComparison.Ordinal);
            s1[name] = Values(offset, count, 7919, 997, attention ? 3 : 1).reshape(shape);    // (rows, cols)
            s2[name] = Values(offset, count, 104729, 991, attention ? 1 : 3).reshape(shape);  // (rows, cols)
            offset += count;
        }
        using var scores = new ImportanceScores(s1, s2);
        scores.Save(context.OutputPath(ImportanceScores.FileName));
        foreach (var t in s1.Values.Concat(s2.Values)) t.Dispose();
    }

    private Tensor Values(int offset, int count, int multiplier, int modulus, float weight) =>
        tensor(Enumerable.Range(offset, count).Select(j => AllZero ? 0f : weight * ((j * multiplier + 13) % modulus + 1) / modulus).ToArray());

    public static List<(string Name, long[] Shape)> Shapes(int rank)
    {
        var shapes = new List<(string, long[])>();
        for (var layer = 0; layer < 2; layer++)
        {
            foreach (var (module, input, output) in new[]
                     {
                         ("self_attn.q_proj", Hidden, Hidden), ("self_attn.k_proj", Hidden, Hidden), ("self_attn.v_proj", Hidden, Hidden),
                         ("mlp.gate_proj", Hidden, Intermediate), ("mlp.up_proj", Hidden, Intermediate), ("mlp.down_proj", Intermediate, Hidden),
                     })
            {
                shapes.Add(($"model.layers.{layer}.{module}.lora_A", [rank, input]));
                shapes.Add(($"model.layers.{layer}.{module}.lora_B", [output, rank]));
            }
        }
        return shapes;
    }
}
