using LoraPar.Core;
using LoraPar.Method.Splitter;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Generation;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;

namespace LoraPar.Pipeline.Stages.Labels;

/// <summary>Loads a <c>local</c> splitter teacher: the Hugging Face checkpoint folder it names, scored by teacher forcing.</summary>
public static class LocalTeacherScorers
{
    /// <summary>A scorer over the teacher's checkpoint (model and tokenizer from the same folder) on CUDA when visible, else the CPU.</summary>
    public static ICompletionScorer Load(LocalTeacherConfig teacher)
    {
        if (!Directory.Exists(teacher.Checkpoint))
            throw new BadInputException($"splitter teacher '{teacher.Name}': checkpoint folder {teacher.Checkpoint} not found (a Hugging Face folder with config.json, *.safetensors and a tokenizer)");
        var device = DeviceResolver.Resolve(DeviceChoice.Auto);
        var model = HfCheckpoint.Load(teacher.Checkpoint, device);
        model.eval();
        return new SequenceScorer(model, TokenizerLoader.Load(teacher.Checkpoint));
    }
}
