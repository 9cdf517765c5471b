# Assl server image: build with the .NET 10 SDK, run on the ASP.NET runtime, as a non-root user,
# with the shipped model inside. The .NET 10 images are Ubuntu 24.04, whose libstdc++ already has
# GLIBCXX_3.4.32, so the build's TorchSharp native fix detects that and does nothing here.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props Assl.sln ./
COPY build/ build/
COPY src/ src/
COPY models/ models/
RUN dotnet publish src/Assl.Stream/Assl.Stream.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The online loop keeps its sample store (SQLite, data/assl.db) and its promoted models with the serving
# pointer (data/models) in /app/data; mount a volume there so a restart serves the last promoted model.
# In the image the labelled N-UCLA data is absent: mount it and set ASSL_OnlineLearning__DataPath, or learning stays off (health: Degraded).
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
VOLUME /app/data
# gRPC (HTTP/2 cleartext) on 5080, Prometheus metrics on 9464.
ENV ASSL_Urls=http://0.0.0.0:5080
EXPOSE 5080 9464
USER $APP_UID
HEALTHCHECK --interval=15s --timeout=6s --start-period=20s --retries=3 \
  CMD ["dotnet", "Assl.Stream.dll", "health-check", "http://127.0.0.1:5080"]
ENTRYPOINT ["dotnet", "Assl.Stream.dll"]
