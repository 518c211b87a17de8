# A local stand-in for the official nginx:1.27 image, for machines that cannot reach a
# container registry: Debian bookworm's nginx reading /etc/nginx/conf.d/*.conf, logging
# to the container's output, in the foreground. Built by scripts/docker/base-images.sh.
FROM localbase:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx-light \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \
    && ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
