// The site hosted alone: nothing answers /search, /screen or /sparql, so nothing links them.
// `kg serve` answers this address with site/served/service.js, which adds the links.
