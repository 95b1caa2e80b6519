{#- Turns a mix's player link (`data-playlist-clusters-player`) into Spotify's player on a
    click, and only then: until a reader asks for it, no request goes to Spotify. One listener
    on the document, so that pages swapped in by Material's instant navigation work too. -#}
(function () {
  "use strict";
  if (window.playlistClustersPlayer) return;
  window.playlistClustersPlayer = true;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-playlist-clusters-player]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    var source = link.getAttribute("data-playlist-clusters-player");
    if (source.indexOf("https://open.spotify.com/embed/") !== 0) return;
    event.preventDefault();
    var player = document.createElement("iframe");
    player.src = source;
    player.title = link.textContent.replace(/^\W+/, "");
    player.width = "100%";
    player.height = "152";
    player.style.border = "0";
    player.style.borderRadius = "12px";
    player.allow = "autoplay; clipboard-write; encrypted-media; fullscreen; picture-in-picture";
    player.loading = "lazy";
    link.parentNode.replaceWith(player);
  });
})();
