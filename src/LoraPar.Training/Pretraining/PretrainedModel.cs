using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Llama;
using LoraPar.Model.Tokenizers;

namespace LoraPar.Training.Pretraining;

/// <summary>A pretrained tiny base model, its tokenizer and what the run measured; owns the model.</summary>
public sealed class PretrainedModel(LlamaForCausalLM model, CharTokenizer tokenizer, PretrainReport report) : IDisposable
{
    public LlamaForCausalLM Model { get; } = model;
    public CharTokenizer Tokenizer { get; } = tokenizer;
    public PretrainReport Report { get; } = report;

    /// <summary>
    /// Writes the model as a Hugging Face folder — config.json, model.safetensors, generation_config.json, tokenizer.json,
    /// tokenizer_config.json — into a temporary sibling folder, then renames it to <paramref name="directory"/> (replacing
    /// an existing one), so readers never see a partial model.
    /// </summary>
    public void Save(string directory) => AtomicFolder.Write(directory, temp =>
    {
        HfCheckpoint.Save(Model, temp);
        Tokenizer.Save(temp);
    });

    public void Dispose() => Model.Dispose();
}
