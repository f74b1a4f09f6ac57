using System;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using ModelDsl.Generation;
using ModelDsl.Models;

namespace ModelDsl.Clients;

/// <summary>
/// Registers ModelDsl clients in a service collection as singletons: clients are safe to share across threads, and all
/// calls to one model meet in its request queue, where they are decoded in batches. Options are named after the
/// client's type, so <c>services.Configure&lt;ModelDslClientOptions&gt;(name, ...)</c> or configuration binding can
/// set them too.
/// </summary>
public static class ModelDslServiceCollectionExtensions
{
    /// <summary>The options name of <see cref="LanguageModelChatClient"/> registrations.</summary>
    public const string ChatClientOptionsName = nameof(LanguageModelChatClient);

    /// <summary>
    /// Registers an <see cref="IChatClient"/> answering with the <see cref="ICausalLanguageModel"/> and
    /// <see cref="Tokenizer"/> registered in the container.
    /// </summary>
    public static IServiceCollection AddLanguageModelChatClient(this IServiceCollection services, Action<ModelDslClientOptions>? configure = null) =>
        services.AddLanguageModelChatClient(sp => sp.GetRequiredService<ICausalLanguageModel>(), sp => sp.GetRequiredService<Tokenizer>(), configure);

    /// <summary>Registers an <see cref="IChatClient"/> answering with the model and tokenizer the factories return.</summary>
    public static IServiceCollection AddLanguageModelChatClient(this IServiceCollection services, Func<IServiceProvider, ICausalLanguageModel> model,
        Func<IServiceProvider, Tokenizer> tokenizer, Action<ModelDslClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var options = services.AddOptions<ModelDslClientOptions>(ChatClientOptionsName);
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<IChatClient>(sp =>
        {
            var settings = sp.GetRequiredService<IOptionsMonitor<ModelDslClientOptions>>().Get(ChatClientOptionsName);
            var answering = model(sp);
            TextGenerator.ConfigureBatching(answering, settings.Batching);
            return new LanguageModelChatClient(answering, tokenizer(sp), settings.DefaultOptions, settings.ModelId);
        });
        return services;
    }

    /// <summary>
    /// Registers the typed client <typeparamref name="TClient"/> (a generated <c>[InferenceClient&lt;T&gt;]</c>), created
    /// with the model (or setup) and tokenizer its constructor asks for, resolved from the container.
    /// </summary>
    public static IServiceCollection AddPromptClient<TClient>(this IServiceCollection services, Action<ModelDslClientOptions>? configure = null)
        where TClient : PromptClient =>
        services.AddPromptClient(sp => ActivatorUtilities.CreateInstance<TClient>(sp), configure);

    /// <summary>Registers the typed client <typeparamref name="TClient"/> made by <paramref name="factory"/>.</summary>
    public static IServiceCollection AddPromptClient<TClient>(this IServiceCollection services, Func<IServiceProvider, TClient> factory,
        Action<ModelDslClientOptions>? configure = null)
        where TClient : PromptClient
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);
        var name = typeof(TClient).FullName ?? typeof(TClient).Name;
        var options = services.AddOptions<ModelDslClientOptions>(name);
        if (configure is not null) options.Configure(configure);
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptionsMonitor<ModelDslClientOptions>>().Get(name);
            var client = factory(sp);
            client.DefaultOptions = settings.DefaultOptions;
            client.UseDeclaredExamples = settings.UseDeclaredExamples;
            TextGenerator.ConfigureBatching(client.Model, settings.Batching);
            return client;
        });
        return services;
    }
}
